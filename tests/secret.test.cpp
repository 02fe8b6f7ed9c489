// Tests of twofactor/secret.hpp: generation (RFC 4226 §4 R6/R7, RFC 6238 §5.1 lengths),
// import from bytes and base32 (RFC 4648 §6), setup-code display, constant-time equality and
// wiping on destruction, assignment and move.
#include <boost/test/unit_test.hpp>

#include <twofactor/secret.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <new>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/test_support.hpp"

namespace tf = twofactor;
using tf::secret;

namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, const base32_error& error) {
    return out << "{" << describe(error.code) << ", position " << error.position << "}";
}
}  // namespace twofactor::inline v1

namespace {

// "Hello!\xDE\xAD\xBE\xEF", the Key Uri Format example secret JBSWY3DPEHPK3PXP.
constexpr auto hello = twofactor_test::bytes_of("Hello!\xDE\xAD\xBE\xEF");

constexpr std::string_view setup_code_of(const secret& key, std::span<char> buffer, std::size_t group = 4,
                                         char separator = ' ') {
    const auto n = key.reveal_setup_code(buffer, group, separator);
    return n ? std::string_view(buffer.data(), *n) : std::string_view("<error>");
}

std::string base32_of(const secret& key) {
    std::string text(key.base32_size(), '\0');
    const auto n = key.reveal_base32(text);
    BOOST_TEST_REQUIRE(n.has_value());
    return text;
}

bool all_zero(std::span<const unsigned char> bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](unsigned char b) { return b == 0; });
}

// A secret constructed in a buffer we can inspect after its destructor ran.
struct inspected_storage {
    alignas(secret) unsigned char bytes[sizeof(secret)];
    secret* object = nullptr;
    explicit inspected_storage(const secret& value) {
        std::memset(bytes, 0xCC, sizeof bytes);
        object = ::new (static_cast<void*>(bytes)) secret(value);
    }
    inspected_storage(const inspected_storage&) = delete;
    inspected_storage& operator=(const inspected_storage&) = delete;
    ~inspected_storage() {
        if (object != nullptr) object->~secret();
    }
    void destroy() {
        object->~secret();
        object = nullptr;
    }
    std::span<const unsigned char> raw() const { return bytes; }
};

}  // namespace

// ---- Compile time -----------------------------------------------------------------------

static_assert(tf::recommended_secret_size<tf::sha1> == 20);
static_assert(tf::recommended_secret_size<tf::sha256> == 32);
static_assert(tf::recommended_secret_size<tf::sha512> == 64);
static_assert(tf::recommended_secret_size_for(tf::algorithm::sha1) == 20);
static_assert(tf::recommended_secret_size_for(tf::algorithm::sha256) == 32);
static_assert(tf::recommended_secret_size_for(tf::algorithm::sha512) == 64);
static_assert(secret::max_size == 64);
static_assert(secret::max_base32_size == 103);
static_assert(secret::max_setup_code_size == 128);

// Decoding, comparison and display work in constant expressions.
static_assert(secret::from_base32("JBSWY3DPEHPK3PXP")->size() == 10);
static_assert(secret::from_base32("jbsw y3dp ehpk 3pxp").value() == secret::from_bytes(hello).value());
static_assert(secret::from_base32("JBSWY3DPEHPK3PXP")->below_recommended_strength());
static_assert(!secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")->below_recommended_strength());
static_assert([] {
    std::array<char, 32> buffer{};
    return setup_code_of(*secret::from_bytes(hello), buffer) == "JBSW Y3DP EHPK 3PXP";
}());
static_assert(!secret{}.below_recommended_strength() && secret{}.empty());
// The boundary: 16 bytes (128 bits, RFC 4226 R6) is enough, 15 is not.
static_assert(secret::min_recommended_size == 16);
static_assert(!secret::from_bytes(std::array<std::byte, 16>{})->below_recommended_strength());
static_assert(secret::from_bytes(std::array<std::byte, 15>{})->below_recommended_strength());

// Never printable, never silently convertible to text or bytes.
template <class T>
concept streamable = requires(std::ostream& os, const T& value) {
    os << value;
};
static_assert(streamable<std::string_view>);  // the check itself works
static_assert(!streamable<secret>);
static_assert(!std::is_convertible_v<secret, std::string_view>);
static_assert(!std::is_convertible_v<secret, std::span<const std::byte>>);
static_assert(!std::is_convertible_v<secret, std::string>);
// Copyable (records and the wizard are) and nothrow-movable.
static_assert(std::is_copy_constructible_v<secret> && std::is_copy_assignable_v<secret>);
static_assert(std::is_nothrow_move_constructible_v<secret> && std::is_nothrow_move_assignable_v<secret>);

// ---- Generation ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(generate_uses_the_recommended_length_per_algorithm) {
    for (const auto a : {tf::algorithm::sha1, tf::algorithm::sha256, tf::algorithm::sha512}) {
        BOOST_TEST_CONTEXT(tf::to_string(a)) {
            const auto first = secret::generate(a);
            const auto second = secret::generate(a);
            BOOST_TEST_REQUIRE(first.has_value());
            BOOST_TEST_REQUIRE(second.has_value());
            BOOST_TEST(first->size() == tf::recommended_secret_size_for(a));
            BOOST_TEST(!first->below_recommended_strength());
            BOOST_TEST(!(*first == *second));
            const auto bytes = first->reveal_bytes();
            BOOST_TEST(
                std::any_of(bytes.begin(), bytes.end(), [](std::byte b) { return b != std::byte{0}; }));
        }
    }
}

BOOST_AUTO_TEST_CASE(generate_with_an_explicit_source_and_size) {
    tf::os_random rng;
    for (const std::size_t size : {16u, 20u, 33u, 64u}) {
        const auto key = secret::generate(size, rng);
        BOOST_TEST_REQUIRE(key.has_value());
        BOOST_TEST(key->size() == size);
    }
    BOOST_TEST(secret::generate(0, rng).error() == tf::errc::empty_secret);
    BOOST_TEST(secret::generate(10, rng).error() == tf::errc::secret_too_short);  // never make 80-bit keys
    BOOST_TEST(secret::generate(15, rng).error() == tf::errc::secret_too_short);
    BOOST_TEST(secret::generate(65, rng).error() == tf::errc::secret_too_long);
    BOOST_TEST(secret::generate(tf::algorithm::sha256, rng)->size() == 32u);
}

BOOST_AUTO_TEST_CASE(generate_reports_a_failing_source) {
    int calls = 0;
    tf::callback_random failing{[&](std::span<std::byte> out) {
        ++calls;
        std::fill(out.begin(), out.end(), std::byte{0x5A});
        return false;
    }};
    const auto key = secret::generate(20, failing);
    BOOST_TEST_REQUIRE(!key.has_value());
    BOOST_TEST(key.error() == tf::errc::random_source_failed);
    BOOST_TEST(calls == 1);  // no retry, no fallback
    const auto by_algorithm = secret::generate(tf::algorithm::sha512, failing);
    BOOST_TEST_REQUIRE(!by_algorithm.has_value());
    BOOST_TEST(by_algorithm.error() == tf::errc::random_source_failed);
}

// A generator stuck at one value (a broken hardware TRNG) is a failure, not a secret of 20
// equal bytes; one differing byte anywhere is accepted.
BOOST_AUTO_TEST_CASE(generate_refuses_a_stuck_source) {
    for (const int value : {0x00, 0x5a, 0xff}) {
        tf::callback_random stuck{[value](std::span<std::byte> out) {
            std::fill(out.begin(), out.end(), std::byte(value));
            return true;
        }};
        for (const std::size_t size : {16u, 20u, 64u})
            BOOST_TEST(secret::generate(size, stuck).error() == tf::errc::random_source_failed,
                       "byte " << value << ", size " << size);
    }
    for (const std::size_t odd_one : {0u, 7u, 19u}) {
        tf::callback_random nearly{[odd_one](std::span<std::byte> out) {
            std::fill(out.begin(), out.end(), std::byte{0});
            out[odd_one] = std::byte{1};
            return true;
        }};
        BOOST_TEST(secret::generate(20, nearly).has_value(), "differing byte " << odd_one);
    }
}

BOOST_AUTO_TEST_CASE(generate_from_a_callback_source) {
    tf::callback_random counting{[](std::span<std::byte> out) -> tf::result<void> {
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::byte>(i);
        return {};
    }};
    const auto key = secret::generate(16, counting);
    BOOST_TEST_REQUIRE(key.has_value());
    BOOST_TEST(twofactor_test::to_hex(key->reveal_bytes()) == "000102030405060708090a0b0c0d0e0f");
}

// ---- Import -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(from_bytes_accepts_any_bytes) {
    const std::array<std::byte, 3> zeros{};
    const auto key = secret::from_bytes(zeros);  // leading and inner zeros are data (libcotp#54)
    BOOST_TEST_REQUIRE(key.has_value());
    BOOST_TEST(key->size() == 3u);
    BOOST_TEST(key->below_recommended_strength());
    BOOST_TEST(secret::from_bytes(std::span<const std::byte>{}).error() == tf::errc::empty_secret);
    const std::vector<std::byte> max(64, std::byte{0xFF});
    BOOST_TEST(secret::from_bytes(max)->size() == 64u);
    const std::vector<std::byte> too_long(65, std::byte{0xFF});
    BOOST_TEST(secret::from_bytes(too_long).error() == tf::errc::secret_too_long);
}

BOOST_AUTO_TEST_CASE(from_base32_reads_typed_setup_codes) {
    const auto expected = secret::from_bytes(hello).value();
    for (const std::string_view text : {"JBSWY3DPEHPK3PXP", "jbswy3dpehpk3pxp", "JBSW Y3DP EHPK 3PXP",
                                        "jbsw-y3dp-ehpk-3pxp", " JBSW Y3DP EHPK 3PXP "}) {
        BOOST_TEST_CONTEXT(text) {
            const auto key = secret::from_base32(text);
            BOOST_TEST_REQUIRE(key.has_value());
            BOOST_TEST((*key == expected));
        }
    }
    // An 80-bit secret as GitHub and Okta hand out: accepted, flagged (totp-rs#54).
    const auto short_key = secret::from_base32("JBSWY3DPEHPK3PXP");
    BOOST_TEST(short_key->below_recommended_strength());
    // Strict mode for machine-written text.
    BOOST_TEST(secret::from_base32("JBSWY3DPEHPK3PXP", tf::base32_mode::strict).has_value());
    BOOST_TEST(secret::from_base32("jbswy3dpehpk3pxp", tf::base32_mode::strict).error() ==
               (tf::base32_error{tf::errc::invalid_base32_character, 0}));
}

BOOST_AUTO_TEST_CASE(from_base32_errors_carry_the_position) {
    BOOST_TEST(secret::from_base32("JBSW Y3DP EHPK 3PX0").error() ==
               (tf::base32_error{tf::errc::invalid_base32_character, 18}));
    BOOST_TEST(secret::from_base32("JBSWY3DPEHPK3PXPA").error() ==
               (tf::base32_error{tf::errc::invalid_base32_length, 16}));
    BOOST_TEST(secret::from_base32("MZXW6YTBOJ").error() ==
               (tf::base32_error{tf::errc::non_canonical_base32, 9}));
    // Padding is optional and may be partial in the default (lenient) mode, exact in strict mode.
    BOOST_TEST(secret::from_base32("MZXW6===")->size() == 3u);
    BOOST_TEST(secret::from_base32("MZXW6=")->size() == 3u);
    BOOST_TEST(secret::from_base32("MZXW6=", tf::base32_mode::strict).error() ==
               (tf::base32_error{tf::errc::invalid_base32_padding, 6}));
    BOOST_TEST(secret::from_base32("").error() == (tf::base32_error{tf::errc::empty_secret, 0}));
    BOOST_TEST(secret::from_base32(" - ").error() == (tf::base32_error{tf::errc::empty_secret, 0}));
    BOOST_TEST(secret::from_base32(std::string(104, 'A')).error() ==
               (tf::base32_error{tf::errc::secret_too_long, 0}));
    BOOST_TEST(secret::from_base32(std::string(103, 'A') + "Q").error().code == tf::errc::secret_too_long);
    // 64 bytes exactly: 103 characters (12 groups of 8, then 7 for the last 4 bytes).
    BOOST_TEST(secret::from_base32(std::string(103, 'A'))->size() == 64u);
}

// ---- Display ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(setup_code_in_groups_of_four) {
    const auto key = secret::from_bytes(hello).value();
    BOOST_TEST(base32_of(key) == "JBSWY3DPEHPK3PXP");
    std::array<char, secret::max_setup_code_size> buffer{};
    BOOST_TEST(setup_code_of(key, buffer) == "JBSW Y3DP EHPK 3PXP");
    BOOST_TEST(key.setup_code_size() == 19u);
    BOOST_TEST(setup_code_of(key, buffer, 4, '-') == "JBSW-Y3DP-EHPK-3PXP");
    BOOST_TEST(setup_code_of(key, buffer, 8) == "JBSWY3DP EHPK3PXP");
    BOOST_TEST(setup_code_of(key, buffer, 0) == "JBSWY3DPEHPK3PXP");

    // RFC 4226 key: 32 characters, 8 groups.
    const auto rfc = secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").value();
    BOOST_TEST(setup_code_of(rfc, buffer) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
    // A length that is not a multiple of 4: the last group is shorter.
    const auto eight = secret::from_bytes(twofactor_test::bytes_of("12345678")).value();  // 13 chars
    BOOST_TEST(base32_of(eight) == "GEZDGNBVGY3TQ");
    BOOST_TEST(setup_code_of(eight, buffer) == "GEZD GNBV GY3T Q");

    // Too small a buffer: error, nothing written.
    std::array<char, 18> small{};
    small.fill('#');
    const auto n = key.reveal_setup_code(small);
    BOOST_TEST_REQUIRE(!n.has_value());
    BOOST_TEST(n.error() == tf::errc::output_too_small);
    BOOST_TEST(std::all_of(small.begin(), small.end(), [](char c) { return c == '#'; }));
    std::array<char, 15> small_base32{};
    BOOST_TEST(key.reveal_base32(small_base32).error() == tf::errc::output_too_small);
}

BOOST_AUTO_TEST_CASE(setup_code_round_trips_for_every_length) {
    tf::os_random rng;
    std::array<char, secret::max_setup_code_size> buffer{};
    for (std::size_t size = 1; size <= secret::max_size; ++size) {
        std::vector<std::byte> bytes(size);
        BOOST_TEST_REQUIRE(rng.fill(bytes).has_value());
        const auto key = secret::from_bytes(bytes).value();
        const auto code = setup_code_of(key, buffer);
        BOOST_TEST(code.size() == key.setup_code_size());
        const auto back = secret::from_base32(code);
        BOOST_TEST_REQUIRE(back.has_value());
        BOOST_TEST((*back == key));
        const auto strict = secret::from_base32(base32_of(key), tf::base32_mode::strict);
        BOOST_TEST_REQUIRE(strict.has_value());
        BOOST_TEST((*strict == key));
    }
}

// ---- Equality, copies, wiping ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(equality_compares_bytes_and_length) {
    const auto a = secret::from_bytes(twofactor_test::bytes_of("AB")).value();
    const auto b = secret::from_bytes(twofactor_test::bytes_of("AB")).value();
    const std::array<std::byte, 3> ab0{std::byte{'A'}, std::byte{'B'}, std::byte{0}};
    const auto c = secret::from_bytes(ab0).value();  // same stored bytes, longer
    const auto d = secret::from_bytes(twofactor_test::bytes_of("AC")).value();
    BOOST_TEST((a == b));
    BOOST_TEST(!(a == c));
    BOOST_TEST(!(a == d));
    BOOST_TEST(!(a == secret{}));
    BOOST_TEST((secret{} == secret{}));
}

BOOST_AUTO_TEST_CASE(copies_are_independent_and_moves_empty_the_source) {
    const auto original = secret::from_bytes(hello).value();
    secret copy = original;
    BOOST_TEST((copy == original));
    copy = secret::from_bytes(twofactor_test::bytes_of("other")).value();
    BOOST_TEST(!(copy == original));
    BOOST_TEST(original.size() == 10u);  // untouched

    secret source = original;
    secret target = std::move(source);
    BOOST_TEST((target == original));
    BOOST_TEST(source.empty());  // NOLINT(bugprone-use-after-move): moved-from is specified
    BOOST_TEST(source.reveal_bytes().empty());

    secret assigned;
    secret source2 = original;
    assigned = std::move(source2);
    BOOST_TEST((assigned == original));
    BOOST_TEST(source2.empty());  // NOLINT(bugprone-use-after-move)
    const secret& alias = assigned;
    assigned = alias;  // self-assignment keeps the value
    BOOST_TEST((assigned == original));
}

BOOST_AUTO_TEST_CASE(destroyed_secret_storage_is_zero) {
    tf::os_random rng;
    const auto key = secret::generate(tf::algorithm::sha512, rng).value();
    inspected_storage storage(key);
    BOOST_TEST(!all_zero(storage.raw()));
    storage.destroy();
    BOOST_TEST(all_zero(storage.raw()));
}

BOOST_AUTO_TEST_CASE(move_from_and_assignment_wipe_the_old_bytes) {
    const auto long_key = secret::from_bytes(std::vector<std::byte>(64, std::byte{0xAB})).value();
    const auto short_key = secret::from_bytes(std::vector<std::byte>(3, std::byte{0xCD})).value();

    // Moved from: every byte of the source object is zero.
    inspected_storage moved(long_key);
    const secret taken = std::move(*moved.object);
    BOOST_TEST(taken.size() == 64u);
    BOOST_TEST(all_zero(moved.raw()));

    // Move-assigned from: the same.
    inspected_storage move_assigned(long_key);
    secret target = short_key;
    target = std::move(*move_assigned.object);
    BOOST_TEST(all_zero(move_assigned.raw()));

    // Assigned over with a shorter secret: no byte of the longer one survives.
    inspected_storage assigned(long_key);
    *assigned.object = short_key;
    const auto raw = assigned.raw();
    BOOST_TEST(std::count(raw.begin(), raw.end(), static_cast<unsigned char>(0xAB)) == 0);
    BOOST_TEST(std::count(raw.begin(), raw.end(), static_cast<unsigned char>(0xCD)) == 3);
}
