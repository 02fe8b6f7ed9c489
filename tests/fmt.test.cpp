// Tests of twofactor/fmt.hpp, the opt-in {fmt} formatters: one-time codes keep their leading
// zeros, secrets and backup codes are redacted unless revealed explicitly, QR codes print as
// render_terminal draws them, enumerations and errors print their names and descriptions,
// unsupported format specifications are rejected, and formatting into a fixed buffer allocates
// nothing.
#include <boost/test/unit_test.hpp>

#include <twofactor/fmt.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_support.hpp"

namespace tf = twofactor;
using tf::errc;
using tf::otp_code;

// Counts the program's allocations, to show that the formatters add none (the test runner
// allocates freely; only differences around formatting calls are looked at). Not inlined: GCC 12
// would otherwise see malloc() and free() behind new and delete and report a mismatch
// (-Wmismatched-new-delete), not knowing that they were replaced together.
namespace {
std::size_t allocation_count = 0;
}  // namespace

[[gnu::noinline]] void* operator new(std::size_t size) {
    ++allocation_count;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
#if defined(__cpp_exceptions)
    throw std::bad_alloc();
#else
    std::abort();
#endif
}
[[gnu::noinline]] void* operator new[](std::size_t size) { return ::operator new(size); }
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

// RFC 4226 Appendix D's secret, "12345678901234567890": its base32 text, and the same grouped.
constexpr std::string_view rfc_secret_ascii = "12345678901234567890";
constexpr std::string_view rfc_secret_base32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
constexpr std::string_view rfc_secret_setup_code = "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ";

tf::secret rfc_secret() { return tf::secret::from_base32(rfc_secret_base32).value(); }

// Whether the {fmt} parser of T accepts `spec` (the text after the ':' of a replacement field,
// with its closing brace), evaluated at compile time in the static_asserts below, as fmt does
// when it checks a format string.
template <class T>
constexpr bool spec_parses(std::string_view spec) {
    fmt::format_parse_context ctx(fmt::string_view(spec.data(), spec.size()));
    fmt::formatter<T> formatter;
    const auto it = formatter.parse(ctx);
    return it != ctx.end() && *it == '}';
}

static_assert(spec_parses<otp_code<6>>("}"));
static_assert(spec_parses<otp_code<6>>("g}"));
static_assert(spec_parses<tf::secret>("}"));
static_assert(spec_parses<tf::revealed_setup_code>("}"));
static_assert(spec_parses<tf::backup_code>("}"));
static_assert(spec_parses<tf::qr_code>("}"));
static_assert(spec_parses<tf::qr_code>("d}"));
static_assert(spec_parses<tf::qr_code>("l}"));
static_assert(spec_parses<errc>(">30}"));
static_assert(spec_parses<tf::algorithm>("<8}"));

}  // namespace

BOOST_AUTO_TEST_CASE(otp_codes_keep_their_leading_zeros) {
    BOOST_TEST(fmt::format("{}", otp_code<6>::from_value(0)) == "000000");
    BOOST_TEST(fmt::format("{}", otp_code<6>::from_value(12345)) == "012345");
    BOOST_TEST(fmt::format("{}", otp_code<6>::parse("012345").value()) == "012345");
    BOOST_TEST(fmt::format("{}", otp_code<7>::from_value(42)) == "0000042");
    BOOST_TEST(fmt::format("{}", otp_code<8>::from_value(7081804)) == "07081804");  // RFC 6238 B, T=59
    BOOST_TEST(fmt::format("{}", otp_code<9>::from_value(82162583)) == "082162583");
    BOOST_TEST(fmt::format("code: {}.", otp_code<6>::from_value(755224)) == "code: 755224.");
}

BOOST_AUTO_TEST_CASE(otp_codes_grouped_presentation) {
    BOOST_TEST(fmt::format("{:g}", otp_code<6>::from_value(12345)) == "012 345");
    BOOST_TEST(fmt::format("{:g}", otp_code<6>::from_value(0)) == "000 000");
    BOOST_TEST(fmt::format("{:g}", otp_code<7>::from_value(1234567)) == "123 4567");
    BOOST_TEST(fmt::format("{:g}", otp_code<8>::from_value(7081804)) == "0708 1804");
    BOOST_TEST(fmt::format("{:g}", otp_code<9>::from_value(82162583)) == "082 162 583");
    // Checked at compile time through FMT_STRING as well as by the default consteval check.
    BOOST_TEST(fmt::format(FMT_STRING("{:g}|{}"), otp_code<6>::from_value(1), otp_code<6>::from_value(1)) ==
               "000 001|000001");
}

BOOST_AUTO_TEST_CASE(errc_prints_its_description) {
    for (int value = 1; value <= static_cast<int>(tf::detail::last_errc); ++value) {
        const auto code = static_cast<errc>(value);
        BOOST_TEST(fmt::format("{}", code) == tf::describe(code), value);
    }
    BOOST_TEST(fmt::format("{}", errc::wrong_code) == "wrong code");
    // The standard string specification applies.
    BOOST_TEST(fmt::format("[{:>12}]", errc::wrong_code) == "[  wrong code]");
    BOOST_TEST(fmt::format("[{:^12}]", errc::wrong_code) == "[ wrong code ]");
    BOOST_TEST(fmt::format("{:.5}", errc::wrong_code) == "wrong");
    BOOST_TEST(fmt::format("{}", static_cast<errc>(9999)) == "unknown twofactor error");
}

BOOST_AUTO_TEST_CASE(located_errors_print_description_and_place) {
    BOOST_TEST(fmt::format("{}", tf::record_error{errc::invalid_field_value, 3}) ==
               "invalid field value (line 3)");
    BOOST_TEST(fmt::format("{}", tf::record_error{errc::missing_field, 0}) == "missing field");
    BOOST_TEST(fmt::format("{}", tf::base32_error{errc::invalid_base32_character, 8}) ==
               "invalid base32 character (position 8)");
    BOOST_TEST(fmt::format("{}", tf::base32_error{errc::invalid_base32_character, 0}) ==
               "invalid base32 character (position 0)");
    BOOST_TEST(fmt::format("{}", tf::base32_error{errc::secret_too_long, 0}) ==
               tf::describe(errc::secret_too_long));
    BOOST_TEST(fmt::format("{}", tf::uri_error{errc::missing_secret, 42}) ==
               fmt::format("{} (position 42)", tf::describe(errc::missing_secret)));
    // As returned by the parsers.
    const auto bad = tf::secret::from_base32("MZXW6YTB0I", tf::base32_mode::strict);
    BOOST_TEST(fmt::format("{}", bad.error()) == "invalid base32 character (position 8)");
}

BOOST_AUTO_TEST_CASE(secrets_are_redacted) {
    const tf::secret key = rfc_secret();
    const std::string text = fmt::format("{}", key);
    BOOST_TEST(text == "[redacted secret, 20 bytes]");

    // Neither the bytes, nor their base32 (plain or grouped), nor their hex appear, whole or in
    // part (any 4 consecutive characters), in anything formatted with the secret.
    const std::string hex = twofactor_test::to_hex(key.reveal_bytes());
    const std::string sentence = fmt::format("key={} again {} {:}", key, key, key);
    for (const std::string_view leak :
         {rfc_secret_ascii, rfc_secret_base32, rfc_secret_setup_code, std::string_view(hex)}) {
        for (std::size_t at = 0; at + 4 <= leak.size(); ++at) {
            BOOST_TEST(sentence.find(leak.substr(at, 4)) == std::string::npos, leak.substr(at, 4));
        }
    }

    BOOST_TEST(fmt::format("{}", tf::secret{}) == "[redacted secret, 0 bytes]");
    const std::array<std::byte, 1> one{std::byte{0x41}};
    BOOST_TEST(fmt::format("{}", tf::secret::from_bytes(one).value()) == "[redacted secret, 1 byte]");
    const std::array<std::byte, 64> longest{};
    BOOST_TEST(fmt::format("{}", tf::secret::from_bytes(longest).value()) == "[redacted secret, 64 bytes]");
}

BOOST_AUTO_TEST_CASE(revealed_setup_code_is_the_grouped_base32) {
    const tf::secret key = rfc_secret();
    BOOST_TEST(fmt::format("{}", tf::reveal_setup_code(key)) == rfc_secret_setup_code);
    BOOST_TEST(fmt::format("{}", tf::reveal_base32(key)) == rfc_secret_base32);

    // The same text as secret::reveal_setup_code / reveal_base32, for every length 1..64.
    for (std::size_t size = 1; size <= tf::secret::max_size; ++size) {
        std::vector<std::byte> bytes(size);
        for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>(0xA5 ^ (i * 37));
        const tf::secret each = tf::secret::from_bytes(bytes).value();
        std::array<char, tf::secret::max_setup_code_size> setup{};
        std::array<char, tf::secret::max_base32_size> base32{};
        const std::size_t setup_size = each.reveal_setup_code(setup).value();
        const std::size_t base32_size = each.reveal_base32(base32).value();
        BOOST_TEST(fmt::format("{}", tf::reveal_setup_code(each)) ==
                   std::string_view(setup.data(), setup_size));
        BOOST_TEST(fmt::format("{}", tf::reveal_base32(each)) ==
                   std::string_view(base32.data(), base32_size));
    }

    // The Key Uri Format example secret reads back from what was printed.
    const tf::secret hello = tf::secret::from_base32("JBSWY3DPEHPK3PXP").value();
    const std::string shown = fmt::format("{}", tf::reveal_setup_code(hello));
    BOOST_TEST(shown == "JBSW Y3DP EHPK 3PXP");
    BOOST_TEST((tf::secret::from_base32(shown).value() == hello));
}

BOOST_AUTO_TEST_CASE(backup_codes_are_redacted_unless_revealed) {
    const tf::backup_code code = tf::backup_code::parse("7kq4 xr2p-dm9a").value();
    const std::string redacted = fmt::format("{}", code);
    BOOST_TEST(redacted == "[redacted backup code]");
    for (const std::string_view leak : {std::string_view("7KQ4"), std::string_view("XR2P"),
                                        std::string_view("DM9A"), code.reveal_normalised()})
        BOOST_TEST(redacted.find(leak) == std::string::npos, leak);

    BOOST_TEST(fmt::format("{}", tf::reveal(code)) == "7KQ4-XR2P-DM9A");
    const auto grouped = code.reveal_grouped();
    BOOST_TEST(fmt::format("{}", tf::reveal(code)) == std::string_view(grouped.data(), grouped.size()));
    BOOST_TEST(fmt::format("{}", tf::reveal(tf::backup_code{})) == "2222-2222-2222");
}

BOOST_AUTO_TEST_CASE(qr_codes_print_as_render_terminal_draws_them) {
    const auto code = tf::qr_code::encode_text(
                          "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example")
                          .value();
    BOOST_TEST(fmt::format("{}", code) == tf::to_terminal(code).value());
    BOOST_TEST(fmt::format("{:l}", code) ==
               tf::to_terminal(code, {.palette = tf::qr_terminal_palette::light_blocks}).value());
    BOOST_TEST(fmt::format("{:d}", code) ==
               tf::to_terminal(code, {.palette = tf::qr_terminal_palette::dark_blocks}).value());
    BOOST_TEST(fmt::formatted_size("{}", code) == tf::terminal_size(code).value());

    // An even-sized symbol (version 1: 21 modules, odd rows with the quiet zone) and a small
    // fixed-capacity type.
    const auto small = tf::basic_qr_code<5>::encode_text("HELLO WORLD").value();
    BOOST_TEST(small.version() == 1);
    BOOST_TEST(fmt::format("{}", small) == tf::to_terminal(small).value());
    BOOST_TEST(fmt::format("{:d}", small) ==
               tf::to_terminal(small, {.palette = tf::qr_terminal_palette::dark_blocks}).value());

    // Into a fixed buffer too small for it: fmt counts the whole size and writes a prefix.
    std::array<char, 100> buffer{};
    const auto partial = fmt::format_to_n(buffer.data(), buffer.size(), "{}", code);
    BOOST_TEST(partial.size == tf::terminal_size(code).value());
    BOOST_TEST(std::string_view(buffer.data(), buffer.size()) ==
               std::string_view(tf::to_terminal(code).value()).substr(0, buffer.size()));
}

#if defined(__cpp_exceptions)
// An output that throws while a QR code is drawn (a buffer that cannot grow, a file that
// cannot be written) throws to the caller, as for any other argument; it does not end the
// program in the noexcept renderer.
namespace {
struct output_failure {};
struct failing_output {
    using iterator_category = std::output_iterator_tag;
    using value_type = void;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = void;
    std::shared_ptr<std::size_t> room;  // characters accepted before it throws
    failing_output& operator*() { return *this; }
    failing_output& operator++() { return *this; }
    failing_output operator++(int) { return *this; }
    failing_output& operator=(char) {
        if (*room == 0) throw output_failure{};
        --*room;
        return *this;
    }
};
}  // namespace

BOOST_AUTO_TEST_CASE(an_output_failure_while_a_qr_code_is_drawn_reaches_the_caller) {
    const auto code = tf::qr_code::encode_text("HELLO WORLD").value();
    const std::size_t size = tf::terminal_size(code).value();
    for (const std::size_t room : {std::size_t{0}, std::size_t{100}, size - 1}) {
        failing_output out{std::make_shared<std::size_t>(room)};
        BOOST_CHECK_THROW((void)fmt::format_to(out, "{}", code), output_failure);
    }
    failing_output enough{std::make_shared<std::size_t>(size)};
    BOOST_CHECK_NO_THROW((void)fmt::format_to(enough, "{}", code));
}
#endif

BOOST_AUTO_TEST_CASE(enumerations_print_their_names) {
    BOOST_TEST(fmt::format("{}", tf::algorithm::sha1) == "SHA1");
    BOOST_TEST(fmt::format("{}", tf::algorithm::sha256) == "SHA256");
    BOOST_TEST(fmt::format("{}", tf::algorithm::sha512) == "SHA512");
    BOOST_TEST(fmt::format("{}", tf::otp_type::totp) == "totp");
    BOOST_TEST(fmt::format("{}", tf::otp_type::hotp) == "hotp");
    for (const auto step :
         {tf::wizard_step::show_secret, tf::wizard_step::verify_setup, tf::wizard_step::backup_codes,
          tf::wizard_step::finished, tf::wizard_step::aborted, tf::wizard_step::cancelled})
        BOOST_TEST(fmt::format("{}", step) == tf::to_string(step));
    BOOST_TEST(fmt::format("{}", tf::wizard_step::verify_setup) == "verify-setup");
    BOOST_TEST(fmt::format("{}", tf::login_method::one_time_code) == "one-time-code");
    BOOST_TEST(fmt::format("{}", tf::login_method::backup_code) == "backup-code");
    BOOST_TEST(fmt::format("{}", tf::login_method::not_required) == "not-required");

    // The standard string specification, and values outside the enumeration.
    BOOST_TEST(fmt::format("{:<8}|{:>6}", tf::algorithm::sha1, tf::otp_type::hotp) == "SHA1    |  hotp");
    BOOST_TEST(fmt::format("{}", static_cast<tf::algorithm>(7)) == "algorithm(7)");
    BOOST_TEST(fmt::format("{:>15}", static_cast<tf::otp_type>(-1)) == "   otp_type(-1)");
    BOOST_TEST(fmt::format("{}", static_cast<tf::wizard_step>(42)) == "wizard_step(42)");
    BOOST_TEST(fmt::format("{}", static_cast<tf::login_method>(3)) == "login_method(3)");
}

BOOST_AUTO_TEST_CASE(formatting_into_a_fixed_buffer_allocates_nothing) {
    const tf::secret key = rfc_secret();
    const tf::backup_code code = tf::backup_code::parse("7KQ4XR2PDM9A").value();
    const auto qr = tf::qr_code::encode_text("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP").value();
    static std::array<char, 65536> buffer{};

    // The counter sees allocations: fmt::format returns a std::string on the heap.
    const std::size_t control = allocation_count;
    BOOST_TEST(fmt::format("{:>100}", tf::algorithm::sha1).size() == 100u);
    BOOST_TEST(allocation_count > control);

    const std::size_t before = allocation_count;
    auto out = fmt::format_to_n(buffer.data(), buffer.size(), "{} {:g} {} {} {} {} {} {} {} {} {} {} {} {}",
                                otp_code<6>::from_value(12345), otp_code<8>::from_value(1), errc::wrong_code,
                                tf::record_error{errc::invalid_field_value, 3},
                                tf::base32_error{errc::invalid_base32_character, 8},
                                tf::uri_error{errc::missing_secret, 4}, key, tf::reveal_setup_code(key),
                                tf::reveal_base32(key), code, tf::reveal(code), tf::algorithm::sha256,
                                static_cast<tf::wizard_step>(42), tf::login_method::backup_code);
    out = fmt::format_to_n(out.out, buffer.size() - out.size, "{}{:d}", qr, qr);
    const std::size_t allocations = allocation_count - before;

    BOOST_TEST(allocations == 0u);
    BOOST_TEST(out.size < buffer.size() / 2);
}

#if defined(__cpp_exceptions)
BOOST_AUTO_TEST_CASE(unsupported_format_specifications_are_rejected) {
    const tf::secret key = rfc_secret();
    const tf::backup_code code = tf::backup_code::parse("7KQ4XR2PDM9A").value();
    const auto qr = tf::qr_code::encode_text("HELLO").value();
    const auto six = otp_code<6>::from_value(12345);

    for (const char* spec : {"{:x}", "{:gg}", "{:G}", "{:>8}", "{:8}", "{:g }"})
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), six), fmt::format_error);
    for (const char* spec : {"{:x}", "{:s}", "{:>30}", "{:g}", "{:?}"}) {
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), key), fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::reveal_setup_code(key)),
                          fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::reveal_base32(key)), fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), code), fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::reveal(code)), fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::record_error{errc::missing_field, 0}),
                          fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::base32_error{errc::empty_secret, 0}),
                          fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::uri_error{errc::missing_secret, 0}),
                          fmt::format_error);
    }
    for (const char* spec : {"{:x}", "{:a}", "{:ld}", "{:D}", "{:>8}"})
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), qr), fmt::format_error);
    // The enumerations and errc take string specifications only.
    for (const char* spec : {"{:d}", "{:x}", "{:g}"}) {
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), errc::wrong_code), fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::algorithm::sha1), fmt::format_error);
        BOOST_CHECK_THROW((void)fmt::format(fmt::runtime(spec), tf::wizard_step::finished),
                          fmt::format_error);
    }
    // What is supported still works through fmt::runtime.
    BOOST_TEST(fmt::format(fmt::runtime("{:g}"), six) == "012 345");
    BOOST_TEST(fmt::format(fmt::runtime("{:d}"), qr) ==
               tf::to_terminal(qr, {.palette = tf::qr_terminal_palette::dark_blocks}).value());
}
#endif
