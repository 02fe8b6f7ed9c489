// Proves DESIGN.md's rule "no heap allocation on the core paths": every form of the global
// operator new and delete is replaced by a counting version (forwarding to malloc/free), and
// each core operation is run inside a counting region that must see zero allocations: TOTP and
// HOTP generate/verify, base32 into buffers, secrets, otpauth:// URIs and exports, QR encoding and
// rendering into buffers, backup codes, the account record and login, the account operations
// and the whole enrollment wizard. Controls show that the counter does count (every operator
// form, and the std::string overloads, which allocate by design).
//
// Boost.Test allocates for its own bookkeeping, so only allocations made by this thread while
// a region is open are counted, and no test macro runs inside a region.
#include <boost/test/unit_test.hpp>

#include <twofactor/twofactor.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "support/test_support.hpp"

// ---- The counting allocator -------------------------------------------------------------------

namespace {

constinit thread_local bool counting = false;
std::atomic<std::size_t> counted_allocations{0};

void note_allocation() noexcept {
    if (counting) counted_allocations.fetch_add(1, std::memory_order_relaxed);
}

void* allocate(std::size_t size) noexcept {
    note_allocation();
    return std::malloc(size == 0 ? 1 : size);
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) noexcept {
    note_allocation();
    const auto align = static_cast<std::size_t>(alignment);
    // aligned_alloc wants a size that is a non-zero multiple of the alignment.
    const std::size_t rounded = size == 0 ? align : (size + align - 1) / align * align;
    return std::aligned_alloc(align, rounded);
}

[[noreturn]] void out_of_memory() {
#if defined(__cpp_exceptions)
    throw std::bad_alloc();
#else
    std::abort();
#endif
}

void* allocate_or_fail(std::size_t size) {
    void* p = allocate(size);
    if (p == nullptr) out_of_memory();
    return p;
}

void* allocate_aligned_or_fail(std::size_t size, std::align_val_t alignment) {
    void* p = allocate_aligned(size, alignment);
    if (p == nullptr) out_of_memory();
    return p;
}

}  // namespace

void* operator new(std::size_t size) { return allocate_or_fail(size); }
void* operator new[](std::size_t size) { return allocate_or_fail(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment) {
    return allocate_aligned_or_fail(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
    return allocate_aligned_or_fail(size, alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, alignment);
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

/// Written with every pointer of the controls, so that no allocation can be optimised away.
void* volatile sink = nullptr;

/// The number of allocations `body` made on this thread.
template <class Body>
std::size_t allocations_in(Body&& body) {
    const std::size_t before = counted_allocations.load(std::memory_order_relaxed);
    counting = true;
    std::forward<Body>(body)();
    counting = false;
    return counted_allocations.load(std::memory_order_relaxed) - before;
}

}  // namespace

// ---- Inputs -----------------------------------------------------------------------------------

namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, wizard_step step) {
    return out << to_string(step);
}
}  // namespace twofactor::inline v1

namespace tf = twofactor;
using namespace std::chrono_literals;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using tf::errc;

namespace {

// A deterministic byte stream (SplitMix64) opted in as a random source: test data only.
struct test_random {
    std::uint64_t state = 0x5eed;
    tf::result<void> fill(std::span<std::byte> out) noexcept {
        for (std::byte& b : out) {
            std::uint64_t z = (state += 0x9e3779b97f4a7c15U);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9U;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebU;
            b = static_cast<std::byte>((z ^ (z >> 31)) >> 56);
        }
        return {};
    }
};

}  // namespace

template <>
inline constexpr bool tf::enable_random_source<test_random> = true;

namespace {

// Read through volatile, so that the optimiser cannot evaluate the measured calls at compile
// time (they are constexpr) instead of running them.
volatile std::int64_t unix_time_source = 1234567890;
sys_seconds run_time_at(std::int64_t offset = 0) { return sys_seconds{seconds{unix_time_source + offset}}; }

// Run-time copies of the RFC 6238 / RFC 4226 keys ("1234567890" repeated).
std::vector<std::byte> rfc_key(std::size_t size) {
    std::vector<std::byte> key(size);
    for (std::size_t i = 0; i < size; ++i) key[i] = static_cast<std::byte>('0' + (i + 1) % 10);
    return key;
}

constexpr std::uint32_t test_iterations = tf::min_backup_code_iterations;

using app_totp = tf::totp<tf::sha1, 6, 30s>;
using app_wizard = tf::enrollment_wizard<app_totp>;
using app_record = app_wizard::account_type;

}  // namespace

// ---- Controls: the counter counts -------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(counter_controls)

BOOST_AUTO_TEST_CASE(every_replaced_operator_form_is_counted) {
    struct alignas(64) overaligned {
        std::byte bytes[64];
    };
    const std::size_t n = allocations_in([] {
        int* single = new int(1);
        sink = single;
        delete single;
        int* array = new int[4]{};
        sink = array;
        delete[] array;
        int* nothrow_single = new (std::nothrow) int(2);
        sink = nothrow_single;
        delete nothrow_single;
        int* nothrow_array = new (std::nothrow) int[4]{};
        sink = nothrow_array;
        delete[] nothrow_array;
        auto* aligned_single = new overaligned{};
        sink = aligned_single;
        delete aligned_single;
        auto* aligned_array = new overaligned[2]{};
        sink = aligned_array;
        delete[] aligned_array;
        auto* aligned_nothrow = new (std::nothrow) overaligned{};
        sink = aligned_nothrow;
        delete aligned_nothrow;
        auto* aligned_nothrow_array = new (std::nothrow) overaligned[2]{};
        sink = aligned_nothrow_array;
        delete[] aligned_nothrow_array;
        // The function-call forms, sized and aligned deallocation included.
        void* raw = ::operator new(24);
        sink = raw;
        ::operator delete(raw, 24);
        void* raw_aligned = ::operator new (128, std::align_val_t{64});
        sink = raw_aligned;
        ::operator delete (raw_aligned, 128, std::align_val_t{64});
        void* raw_aligned_nothrow = ::operator new[](128, std::align_val_t{64}, std::nothrow);
        sink = raw_aligned_nothrow;
        ::operator delete[](raw_aligned_nothrow, std::align_val_t{64}, std::nothrow);
    });
    BOOST_TEST(n == 11u);
}

BOOST_AUTO_TEST_CASE(allocations_outside_a_region_are_not_counted) {
    const std::size_t before = counted_allocations.load();
    std::vector<int> outside(1000, 7);
    BOOST_TEST(outside.size() == 1000u);
    BOOST_TEST(counted_allocations.load() == before);
}

BOOST_AUTO_TEST_CASE(the_std_string_overloads_do_allocate) {
    test_random rng;
    auto fresh = tf::backup_code_set<10>::generate(rng, test_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    auto key = tf::secret::generate(tf::algorithm::sha1, rng);
    BOOST_TEST_REQUIRE(key.has_value());
    auto uri = tf::otpauth_uri::make("ACME Co", "alice@example.com", *key);
    BOOST_TEST_REQUIRE(uri.has_value());
    auto record = tf::account_record<10>::create(*uri, fresh->set);
    BOOST_TEST_REQUIRE(record.has_value());

    std::string serialized;
    std::string uri_text;
    const std::size_t n = allocations_in([&] {
        serialized = record->serialize();
        uri_text = uri->reveal_uri_string();
    });
    BOOST_TEST(n >= 2u);
    BOOST_TEST(serialized.size() == record->serialized_size());
    BOOST_TEST(uri_text.size() == uri->uri_size());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The core paths ---------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(core_paths_do_not_allocate)

BOOST_AUTO_TEST_CASE(totp_and_hotp_generate_and_verify) {
    const std::vector<std::byte> key20 = rfc_key(20);
    const std::vector<std::byte> key32 = rfc_key(32);
    const std::vector<std::byte> key64 = rfc_key(64);
    const std::string typed_sha1 = "94287082";
    const std::string typed_hotp = "359152";

    std::array<std::string_view, 3> codes_at_59{};
    std::array<tf::otp_code<8>, 3> generated{};
    bool sha1_accepted = false, sha256_accepted = false, sha512_accepted = false;
    bool replay_refused = false, wrong_refused = false, now_ok = false, dynamic_ok = false;
    std::optional<std::uint64_t> hotp_counter, hotp_resync;
    std::optional<std::uint64_t> accepted_step;
    tf::otp_code<6> hotp_code{};

    const std::size_t n = allocations_in([&] {
        const sys_seconds t59 = run_time_at(59 - 1234567890);
        const tf::totp<tf::sha1, 8, 30s> sha1{key20};
        const tf::totp<tf::sha256, 8, 30s> sha256{key32};
        const tf::totp<tf::sha512, 8, 30s> sha512{key64};
        if (auto c = sha1.code_at(t59)) generated[0] = *c;
        if (auto c = sha256.code_at(t59)) generated[1] = *c;
        if (auto c = sha512.code_at(t59)) generated[2] = *c;
        for (std::size_t i = 0; i < 3; ++i) codes_at_59[i] = generated[i].view();

        const auto match = sha1.verify(typed_sha1, t59, {1, 1});
        sha1_accepted = match.has_value();
        if (match) accepted_step = match->step;
        replay_refused = sha1.verify(typed_sha1, t59, {1, 1}, accepted_step).error() == errc::replayed_code;
        wrong_refused = sha1.verify("94287083", t59).error() == errc::wrong_code;
        sha256_accepted = sha256.verify(generated[1].view(), t59).has_value();
        sha512_accepted = sha512.verify(generated[2].view(), t59).has_value();
        now_ok =
            sha1.code_now().has_value() && !sha1.verify_now("00000000", {0, 0}, accepted_step).has_value();

        const tf::dynamic_totp<tf::sha1, 8> dynamic{key20, tf::time_step{seconds{30}}};
        dynamic_ok = dynamic.code_at(t59).has_value() && dynamic.code_at(t59)->view() == "94287082";

        const tf::hotp<tf::sha1, 6> hotp{key20};
        hotp_code = hotp.generate(2);
        if (auto v = hotp.verify(typed_hotp, 0, 5)) hotp_counter = *v;
        if (auto r = hotp.resynchronize("969429", "338314", 0, 10)) hotp_resync = *r;
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(codes_at_59[0] == "94287082");
    BOOST_TEST(codes_at_59[1] == "46119246");
    BOOST_TEST(codes_at_59[2] == "90693936");
    BOOST_TEST(sha1_accepted);
    BOOST_TEST(accepted_step.value_or(0) == 1u);
    BOOST_TEST(replay_refused);
    BOOST_TEST(wrong_refused);
    BOOST_TEST(sha256_accepted);
    BOOST_TEST(sha512_accepted);
    BOOST_TEST(now_ok);
    BOOST_TEST(dynamic_ok);
    BOOST_TEST(hotp_code.view() == "359152");
    BOOST_TEST(hotp_counter.value_or(0) == 2u);
    BOOST_TEST(hotp_resync.value_or(0) == 4u);
}

BOOST_AUTO_TEST_CASE(base32_into_buffers) {
    const std::vector<std::byte> data = twofactor_test::bytes_of(std::string_view("Hello!\xde\xad\xbe\xef"));
    const std::string typed = "jbsw y3dp-ehpk 3pxp";
    std::array<char, 64> encoded{};
    std::array<char, 64> grouped{};
    std::array<std::byte, 64> decoded{};
    std::size_t encoded_size = 0, grouped_size = 0, decoded_size = 0, lenient_size = 0;
    errc bad_character = errc{};

    const std::size_t n = allocations_in([&] {
        if (auto e = tf::base32_encode(data, encoded)) encoded_size = *e;
        const std::string_view text(encoded.data(), encoded_size);
        if (auto g = tf::base32_group(text, grouped, 4, ' ')) grouped_size = *g;
        if (auto d = tf::base32_decode(text, decoded)) decoded_size = *d;
        if (auto d = tf::base32_decode(typed, decoded, tf::base32_mode::lenient)) lenient_size = *d;
        if (auto d = tf::base32_decode("MZXW6!==", decoded); !d) bad_character = d.error().code;
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(std::string_view(encoded.data(), encoded_size) == "JBSWY3DPEHPK3PXP");
    BOOST_TEST(grouped_size > encoded_size);
    BOOST_TEST(decoded_size == 10u);
    BOOST_TEST(lenient_size == 10u);
    BOOST_TEST(bad_character == errc::invalid_base32_character);
}

BOOST_AUTO_TEST_CASE(secret_generate_and_reveal_into_buffers) {
    test_random rng;
    const std::string setup_code_typed = "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ";
    std::array<char, tf::secret::max_base32_size> base32{};
    std::array<char, tf::secret::max_setup_code_size> setup{};
    std::size_t base32_size = 0, setup_size = 0, sizes[3] = {};
    bool round_trip = false, copies_equal = false, imported = false;
    std::error_code error_code;

    const std::size_t n = allocations_in([&] {
        auto key = tf::secret::generate(tf::algorithm::sha1, rng);
        if (!key) return;
        sizes[0] = key->size();
        if (auto k = tf::secret::generate(tf::algorithm::sha256, rng)) sizes[1] = k->size();
        if (auto k = tf::secret::generate(64, rng)) sizes[2] = k->size();
        if (auto b = key->reveal_base32(base32)) base32_size = *b;
        if (auto s = key->reveal_setup_code(setup)) setup_size = *s;
        auto back = tf::secret::from_base32(std::string_view(setup.data(), setup_size));
        round_trip = back.has_value() && *back == *key;
        tf::secret copy = *key;
        tf::secret moved = std::move(copy);
        copies_equal = moved == *key && copy.empty();
        auto rfc = tf::secret::from_base32(setup_code_typed);
        imported = rfc.has_value() && rfc->size() == 20;
        error_code = tf::make_error_code(tf::secret::generate(8, rng).error());
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(sizes[0] == 20u);
    BOOST_TEST(sizes[1] == 32u);
    BOOST_TEST(sizes[2] == 64u);
    BOOST_TEST(base32_size == 32u);
    BOOST_TEST(setup_size == 39u);
    BOOST_TEST(round_trip);
    BOOST_TEST(copies_equal);
    BOOST_TEST(imported);
    BOOST_TEST(error_code == tf::make_error_code(errc::secret_too_short));
}

BOOST_AUTO_TEST_CASE(otpauth_uri_build_into_a_buffer_and_parse) {
    test_random rng;
    auto key = tf::secret::generate(tf::algorithm::sha1, rng);
    BOOST_TEST_REQUIRE(key.has_value());
    const std::string issuer = "ACME Co";
    const std::string account = "john.doe@email.com";
    const std::string microsoft_style =
        "otpauth://totp/Old%20Name:alice?secret=JBSWY3DPEHPK3PXP&issuer=New%20Name&digits=8&period=60";
    std::array<char, tf::otpauth_uri::max_size> text{};
    std::size_t size = 0;
    bool round_trip = false, hotp_ok = false, mismatch = false;
    errc bad_scheme = errc{};

    const std::size_t n = allocations_in([&] {
        auto uri = tf::otpauth_uri::make(issuer, account, *key);
        if (!uri) return;
        if (auto written = uri->reveal_uri(text)) size = *written;
        auto parsed = tf::otpauth_uri::parse(std::string_view(text.data(), size));
        round_trip = parsed.has_value() && *parsed == *uri;
        auto hotp = tf::otpauth_uri::make(issuer, account, *key,
                                          {tf::otp_type::hotp, tf::algorithm::sha256, 8, 30, 42});
        std::array<char, 512> hotp_text{};
        if (hotp) {
            if (auto written = hotp->reveal_uri(hotp_text)) {
                auto back = tf::otpauth_uri::parse(std::string_view(hotp_text.data(), *written));
                hotp_ok = back.has_value() && back->counter() == 42;
            }
        }
        auto other = tf::otpauth_uri::parse(microsoft_style);
        mismatch = other.has_value() && other->issuer_mismatch() && other->issuer() == "New Name";
        if (auto bad = tf::otpauth_uri::parse("http://totp/a?secret=JBSWY3DP"); !bad)
            bad_scheme = bad.error().code;
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(std::string_view(text.data(), size)
                   .starts_with("otpauth://totp/ACME%20Co:john.doe@email.com?secret="));
    BOOST_TEST(round_trip);
    BOOST_TEST(hotp_ok);
    BOOST_TEST(mismatch);
    BOOST_TEST(bad_scheme == errc::invalid_uri_scheme);
}

BOOST_AUTO_TEST_CASE(otpauth_migration_import) {
    // Google Authenticator's export of two accounts (tests/cli_import.test.cpp says what is in it).
    const std::string scanned =
        "otpauth-migration://"
        "offline?data=CjYKCkhlbGxvId6tvu8SGUFDTUUgQ286YWxpY2VAZXhhbXBsZS5jb20aB0FDTUUgQ28gASgBMAIKJ"
        "QoUMTIzNDU2Nzg5MDEyMzQ1Njc4OTASA2JvYhoAIAMoAjABOCoQARgBIAAox5%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FAQ%3D%3D";
    std::size_t accounts = 0;
    std::uint64_t counter = 0;
    errc bad_base64 = errc{};
    const std::size_t n = allocations_in([&] {
        const auto batch = tf::parse_otpauth_migration(scanned, [&](const tf::otpauth_uri& uri) {
            ++accounts;
            counter += uri.counter();
        });
        if (!batch || batch->accounts != 2) accounts = 0;
        const auto bad =
            tf::parse_otpauth_migration("otpauth-migration://offline?data=A*", [](const tf::otpauth_uri&) {});
        if (!bad) bad_base64 = bad.error().code;
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(accounts == 2u);
    BOOST_TEST(counter == 42u);
    BOOST_TEST(bad_base64 == errc::invalid_base64);
}

BOOST_AUTO_TEST_CASE(qr_encode_and_render_into_span_buffers) {
    const std::string uri =
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
        "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";
    const std::string long_text(2900, 'z');
    // Buffers made before counting: large enough for a version 40 symbol in every format.
    std::vector<char> svg(4u << 20), terminal(1u << 20);
    std::vector<std::byte> png(4u << 20), pbm(1u << 20);
    std::size_t sizes[4] = {};
    std::size_t expected[4] = {};
    int version = 0, long_version = 0, small_version = 0;
    errc too_long = errc{};

    const std::size_t n = allocations_in([&] {
        auto code = tf::qr_code::encode_text(uri);
        if (!code) return;
        version = code->version();
        if (auto s = tf::render_svg(*code, svg)) sizes[0] = *s;
        if (auto s = tf::render_terminal(*code, terminal)) sizes[1] = *s;
        if (auto s = tf::render_png(*code, png, {.scale = 4})) sizes[2] = *s;
        if (auto s = tf::render_pbm(*code, pbm)) sizes[3] = *s;
        expected[0] = tf::svg_size(*code).value_or(0);
        expected[1] = tf::terminal_size(*code).value_or(0);
        expected[2] = tf::png_size(*code, {.scale = 4}).value_or(0);
        expected[3] = tf::pbm_size(*code).value_or(0);
        auto big = tf::qr_code::encode_text(long_text, {.ecc = tf::qr_ecc::low});
        if (big) long_version = big->version();
        auto small = tf::basic_qr_code<10>::encode_text(uri);
        if (small) small_version = small->version();
        if (auto none = tf::basic_qr_code<2>::encode_text(uri); !none) too_long = none.error();
        const std::array<std::byte, 3> raw{std::byte{0x00}, std::byte{0xff}, std::byte{0x10}};
        if (auto bytes = tf::qr_code::encode_bytes(raw, {.ecc = tf::qr_ecc::high}); !bytes) version = -1;
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(version >= 1);
    BOOST_TEST(small_version == version);
    BOOST_TEST(long_version == 40);
    BOOST_TEST(too_long == errc::qr_data_too_long);
    for (std::size_t i = 0; i < 4; ++i) {
        BOOST_TEST(sizes[i] > 0u);
        BOOST_TEST(sizes[i] == expected[i]);
    }
}

BOOST_AUTO_TEST_CASE(backup_code_set_generate_consume_and_download_text) {
    test_random rng;
    std::array<char, 2048> text{};
    std::size_t text_size = 0, remaining = 0;
    bool generated = false, first_ok = false, typed_ok = false;
    errc reuse = errc{}, malformed = errc{}, wrong = errc{};

    const std::size_t n = allocations_in([&] {
        auto fresh = tf::backup_code_set<10>::generate(rng, test_iterations);
        if (!fresh) return;
        generated = true;
        tf::backup_code_set<10> stored = fresh->set;
        first_ok = stored.consume(fresh->codes[0]).has_value();
        const auto grouped = fresh->codes[1].reveal_grouped();
        const auto use = stored.consume(std::string_view(grouped.data(), grouped.size()));
        typed_ok = use.has_value();
        remaining = stored.remaining();
        reuse = stored.consume(fresh->codes[0]).error();
        malformed = stored.consume("not a code").error();
        wrong = stored.consume("2222-2222-2222").error();
        const tf::backup_codes_text_info info{"ACME Co", "alice@example.com",
                                              std::chrono::year_month_day{std::chrono::year{2025} / 1 / 31}};
        if (auto written = tf::write_backup_codes_text(text, info, fresh->codes)) text_size = *written;
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(generated);
    BOOST_TEST(first_ok);
    BOOST_TEST(typed_ok);
    BOOST_TEST(remaining == 8u);
    BOOST_TEST(reuse == errc::backup_code_used);
    BOOST_TEST(malformed == errc::malformed_backup_code);
    BOOST_TEST(wrong == errc::wrong_code);
    BOOST_TEST(
        std::string_view(text.data(), text_size).starts_with("Backup codes for ACME Co (alice@example.com)"));
}

BOOST_AUTO_TEST_CASE(account_record_serialize_parse_login_and_operations) {
    test_random rng;
    auto key = tf::secret::from_bytes(rfc_key(20));
    BOOST_TEST_REQUIRE(key.has_value());
    auto uri = tf::otpauth_uri::make("ACME Co", "alice@example.com", *key);
    BOOST_TEST_REQUIRE(uri.has_value());
    auto fresh = tf::backup_code_set<10>::generate(rng, test_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    std::vector<char> buffer(app_record::max_serialized_size);
    std::size_t size = 0;
    bool parsed_equal = false, code_login = false, backup_login = false, replay = false;
    bool regenerated = false, disabled = false, locked = false;

    const std::size_t n = allocations_in([&] {
        auto record = app_record::create(*uri, fresh->set);
        if (!record) return;
        if (auto written = record->serialize(buffer)) size = *written;
        auto parsed = app_record::parse(std::string_view(buffer.data(), size));
        parsed_equal = parsed.has_value() && *parsed == *record;

        // RFC 6238: at T = 1234567890 the 6-digit SHA-1 code is 005924.
        const sys_seconds now = run_time_at();
        auto first = tf::login(*record, "005924", now);
        code_login = first.match.has_value() && first.record_changed;
        replay = tf::login(first.record, "005924", now).match.error() == errc::replayed_code;
        const auto backup = fresh->codes[3].reveal_grouped();
        auto second = tf::login(first.record, std::string_view(backup.data(), backup.size()), now);
        backup_login = second.match.has_value() && second.match->method == tf::login_method::backup_code;

        // 30 s later the next code (RFC 4226 truncation of step 41152264) confirms a regeneration.
        const tf::totp<tf::sha1, 6, 30s> generator{key->reveal_bytes()};
        const auto next_code = generator.code_at(now + 30s);
        if (!next_code) return;
        auto regeneration = tf::regenerate_backup_codes(second.record, next_code->view(), now + 30s, rng);
        regenerated = regeneration.outcome.match.has_value();
        auto disable = tf::confirm_disable(regeneration.outcome.record,
                                           regeneration.codes[0].reveal_normalised(), now + 30s);
        disabled = disable.match.has_value();

        // Throttling: six wrong codes lock the account.
        app_record current = disable.record;
        for (int i = 0; i < 6; ++i) current = tf::login(current, "000000", now + 60s).record;
        locked = tf::login(current, "000000", now + 61s).match.error() == errc::locked_out;
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(size > 0u);
    BOOST_TEST(parsed_equal);
    BOOST_TEST(code_login);
    BOOST_TEST(replay);
    BOOST_TEST(backup_login);
    BOOST_TEST(regenerated);
    BOOST_TEST(disabled);
    BOOST_TEST(locked);
}

BOOST_AUTO_TEST_CASE(enrollment_wizard_every_step) {
    test_random rng;
    const std::string issuer = "ACME Co";
    const std::string account = "alice@example.com";
    tf::wizard_policy policy;
    policy.backup_code_iterations = test_iterations;
    std::vector<char> page_state(1u << 16);
    std::vector<char> download(1u << 14);
    std::array<char, tf::secret::max_setup_code_size> setup{};
    std::size_t setup_size = 0, download_size = 0;
    std::array<std::size_t, 4> state_sizes{};
    tf::wizard_step steps[6] = {};
    bool qr_ok = false, restored_equal = false, finished = false, login_ok = false, cancelled = false;
    errc wrong = errc{}, out_of_order = errc{};

    const std::size_t n = allocations_in([&] {
        auto started = app_wizard::start(issuer, account, rng, policy);
        if (!started) return;
        app_wizard wizard = *started;
        steps[0] = wizard.step();

        // Page 1: the QR code and the setup code; the session stores the wizard between requests.
        auto pending = wizard.enrollment();
        if (!pending) return;
        qr_ok = wizard.qr().has_value();
        if (auto s = wizard.reveal_setup_code(setup)) setup_size = *s;
        if (auto s = wizard.serialize(page_state)) state_sizes[0] = *s;
        auto restored = app_wizard::parse(std::string_view(page_state.data(), state_sizes[0]));
        restored_equal = restored.has_value() && *restored == wizard;
        out_of_order = wizard.finish().error();

        // Page 2: a wrong code, then the right one.
        if (!wizard.next()) return;
        steps[1] = wizard.step();
        if (auto s = wizard.serialize(page_state)) state_sizes[1] = *s;
        const sys_seconds now = run_time_at();
        const app_totp generator{pending->key().reveal_bytes()};
        const auto code = generator.code_at(now);
        if (!code) return;
        wrong = wizard.submit_code(code->view() == "000000" ? "111111" : "000000", now, rng).error();
        if (!wizard.submit_code(code->view(), now, rng)) return;
        steps[2] = wizard.step();

        // Page 3: the backup codes and their download.
        auto codes = wizard.backup_codes();
        if (!codes) return;
        const std::array<tf::backup_code, 10> shown = [&] {
            std::array<tf::backup_code, 10> copy{};
            for (std::size_t i = 0; i < copy.size(); ++i) copy[i] = (*codes)[i];
            return copy;
        }();
        const std::chrono::year_month_day today{std::chrono::year{2025} / 6 / 1};
        const std::size_t expected = wizard.download_text_size(today).value_or(0);
        if (auto d = wizard.download_text(download, today)) download_size = *d == expected ? *d : 0;
        if (auto s = wizard.serialize(page_state)) state_sizes[2] = *s;
        auto resumed = app_wizard::parse(std::string_view(page_state.data(), state_sizes[2]));
        if (!resumed) return;
        wizard = *resumed;

        // Finish: the account record; a backup code signs in.
        auto record = wizard.finish();
        steps[3] = wizard.step();
        finished = record.has_value() && wizard.record().has_value();
        if (auto s = wizard.serialize(page_state)) state_sizes[3] = *s;
        if (record) {
            const auto backup = shown[0].reveal_grouped();
            login_ok =
                tf::login(*record, std::string_view(backup.data(), backup.size()), now).match.has_value();
            // Reconfiguring: a new wizard that replaces this record, cancelled half-way.
            auto again = app_wizard::reconfigure(*record, rng, policy);
            if (again) {
                cancelled = again->next().has_value() && again->cancel().has_value() &&
                            again->replaces_revision() == record->revision();
                steps[4] = again->step();
            }
        }
    });
    BOOST_TEST(n == 0u);
    BOOST_TEST(steps[0] == tf::wizard_step::show_secret);
    BOOST_TEST(steps[1] == tf::wizard_step::verify_setup);
    BOOST_TEST(steps[2] == tf::wizard_step::backup_codes);
    BOOST_TEST(steps[3] == tf::wizard_step::finished);
    BOOST_TEST(steps[4] == tf::wizard_step::cancelled);
    BOOST_TEST(qr_ok);
    BOOST_TEST(setup_size == 39u);
    BOOST_TEST(restored_equal);
    BOOST_TEST(out_of_order == errc::wrong_wizard_step);
    BOOST_TEST(wrong == errc::wrong_code);
    BOOST_TEST(download_size > 0u);
    for (const std::size_t s : state_sizes) BOOST_TEST(s > 0u);
    BOOST_TEST(finished);
    BOOST_TEST(login_ok);
    BOOST_TEST(cancelled);
}

BOOST_AUTO_TEST_SUITE_END()
