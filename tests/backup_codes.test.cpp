// Tests of twofactor/backup_codes.hpp: generation (alphabet, length, entropy, uniformity,
// distinctness), single use, normalisation of typed codes, the stored digests (PBKDF2-HMAC,
// RFC 8018 §5.2, checked against OpenSSL's PKCS5_PBKDF2_HMAC when available), from_parts,
// random-source failures, the download text, and the fixed amount of work per consume().
#include <boost/test/unit_test.hpp>

#include <twofactor/backup_codes.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_random.hpp"
#include "support/test_support.hpp"

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

namespace tf = twofactor;
using tf::backup_code;
using tf::backup_code_set;
using tf::backup_code_use;
using tf::errc;

namespace {

// The lowest supported cost keeps the sanitizer builds fast; the code paths do not depend on it.
constexpr std::uint32_t test_iterations = tf::min_backup_code_iterations;

using splitmix_source = twofactor_test::splitmix_source;  // tests/support/test_random.hpp

// Delivers the scripted bytes first, then 0, 1, 2, ... (wrapping).
struct scripted_source {
    std::vector<std::uint8_t> script;
    std::size_t next = 0;
    std::uint8_t counter = 0;
    tf::result<void> fill(std::span<std::byte> out) noexcept {
        for (std::byte& b : out)
            b = static_cast<std::byte>(next < script.size() ? script[next++] : counter++);
        return {};
    }
};

// Succeeds `successes` times, then fails every call.
struct failing_source {
    int successes = 0;
    int calls = 0;
    tf::result<void> fill(std::span<std::byte> out) noexcept {
        if (calls++ >= successes) return tf::unexpected(errc::random_source_failed);
        // Varied bytes, none rejected, so that no code repeats another (a constant byte would).
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::byte>((i + 7 * calls) % 248);
        return {};
    }
};

// SHA-256 through update()/finalize() only, counting the work done: lets a test see how many
// hash computations consume() performs (a hash_function, not a block_hash_function, so hmac
// drives it through copies of the keyed objects and every HMAC is two finalize() calls).
struct work_counter {
    std::uint64_t finalizations = 0;
    std::uint64_t updates = 0;
    std::uint64_t bytes = 0;
    friend bool operator==(const work_counter&, const work_counter&) = default;
    friend std::ostream& operator<<(std::ostream& out, const work_counter& w) {
        return out << "{" << w.finalizations << " finalizations, " << w.updates << " updates, " << w.bytes
                   << " bytes}";
    }
};
work_counter hash_work;

struct counting_sha256 {
    static constexpr std::size_t block_size = tf::sha256::block_size;
    static constexpr std::size_t digest_size = tf::sha256::digest_size;
    static constexpr std::string_view name = "SHA256";
    using digest_type = tf::sha256::digest_type;

    void update(std::span<const std::byte> bytes) noexcept {
        ++hash_work.updates;
        hash_work.bytes += bytes.size();
        inner.update(bytes);
    }
    digest_type finalize() noexcept {
        ++hash_work.finalizations;
        return inner.finalize();
    }

    tf::sha256 inner;
};
static_assert(tf::hash_function<counting_sha256>);
static_assert(!tf::block_hash_function<counting_sha256>);

std::string normalised(const backup_code& code) { return std::string(code.reveal_normalised()); }

std::string grouped(const backup_code& code) {
    const auto g = code.reveal_grouped();
    return std::string(g.data(), g.size());
}

std::string lowercase(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

bool in_alphabet(char c) { return tf::backup_code_alphabet.find(c) != std::string_view::npos; }

// A well-formed code drawn from `random` (almost surely in no set).
std::string random_well_formed(std::mt19937_64& random) {
    std::string code;
    for (std::size_t i = 0; i < tf::backup_code_length; ++i)
        code += tf::backup_code_alphabet[random() % tf::backup_code_alphabet.size()];
    return code;
}

template <std::size_t N, class Hash>
tf::generated_backup_codes<N, Hash> generate_with(std::uint64_t seed) {
    splitmix_source rng{seed};
    auto fresh = backup_code_set<N, Hash>::generate(rng, test_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    return *fresh;
}

tf::generated_backup_codes<10, tf::sha256> generate_10(std::uint64_t seed) {
    return generate_with<10, tf::sha256>(seed);
}

template <class T>
T value_of(const tf::result<T>& r) {
    if (!r.has_value()) BOOST_TEST_REQUIRE(r.has_value(), "error: " << tf::describe(r.error()));
    return *r;
}

template <class T>
errc error_of(const tf::result<T>& r) {
    BOOST_TEST_REQUIRE(!r.has_value());
    return r.error();
}

// Chi-square statistic of symbol counts against the uniform distribution over the alphabet.
double chi_square(const std::array<std::size_t, 31>& counts) {
    std::size_t total = 0;
    for (const std::size_t n : counts) total += n;
    const double expected = static_cast<double>(total) / 31.0;
    double chi2 = 0;
    for (const std::size_t n : counts)
        chi2 += (static_cast<double>(n) - expected) * (static_cast<double>(n) - expected);
    return chi2 / expected;
}

// With 30 degrees of freedom, P(chi2 > 100) is about 2e-9 for a uniform generator. A mapping
// without rejection (byte % 31, symbols 0..7 at 9/256) adds about 134 at 48,000 symbols.
constexpr double chi_square_limit = 100.0;

constexpr std::uint64_t integer_power(std::uint64_t base, std::size_t exponent) {
    std::uint64_t value = 1;
    for (std::size_t i = 0; i < exponent; ++i) value *= base;
    return value;
}

}  // namespace

template <>
inline constexpr bool tf::enable_random_source<scripted_source> = true;
template <>
inline constexpr bool tf::enable_random_source<failing_source> = true;

// How Boost.Test prints the library's types in failure messages.
namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, const backup_code_use& use) {
    return out << "{index " << use.index << ", remaining " << use.remaining << "}";
}
inline std::ostream& boost_test_print_type(std::ostream& out, const backup_code& code) {
    return out << '"' << code.reveal_normalised() << '"';
}
template <std::size_t N, hash_function Hash>
std::ostream& boost_test_print_type(std::ostream& out, const backup_code_set<N, Hash>& set) {
    out << "backup_code_set{iterations " << set.iterations() << ", used ";
    for (std::size_t i = 0; i < N; ++i) out << (set.used(i) ? '1' : '0');
    return out << "}";
}
}  // namespace twofactor::inline v1

// ---- Compile time -----------------------------------------------------------------------

static_assert(tf::backup_code_alphabet.size() == 31);
static_assert(tf::backup_code_length == 12);
static_assert(tf::backup_code_display_size == 14);  // "XXXX-XXXX-XXXX"
// At least 50 bits of entropy: 31^12 >= 2^50, in integers (31^12 < 2^64).
static_assert(integer_power(tf::backup_code_alphabet.size(), tf::backup_code_length) >=
              (std::uint64_t{1} << 50));
static_assert(tf::min_backup_code_iterations == 1'000);
static_assert(tf::max_backup_code_iterations == 10'000'000);
static_assert(tf::valid_backup_code_iterations(tf::min_backup_code_iterations));
static_assert(tf::valid_backup_code_iterations(tf::max_backup_code_iterations));
static_assert(!tf::valid_backup_code_iterations(tf::min_backup_code_iterations - 1));
static_assert(!tf::valid_backup_code_iterations(tf::max_backup_code_iterations + 1));
static_assert(!tf::valid_backup_code_iterations(0));
static_assert(tf::valid_backup_code_iterations(tf::default_backup_code_iterations));
static_assert(backup_code_set<>::count == 10);
static_assert(backup_code_set<1>::count == 1 && backup_code_set<64>::count == 64);
static_assert(backup_code_set<10>::salt_size == 16);
static_assert(std::is_same_v<backup_code_set<>::hash_type, tf::sha256>);
static_assert(std::is_same_v<backup_code_set<4, tf::sha512>::digest_type, std::array<std::byte, 64>>);
static_assert(tf::random_source<splitmix_source>);

// Parsing and comparing codes work in constant expressions.
static_assert([] {
    const auto typed = backup_code::parse("7kq4 xr2p-dm9a");
    const auto plain = backup_code::parse("7KQ4XR2PDM9A");
    return typed.has_value() && plain.has_value() && *typed == *plain &&
           typed->reveal_normalised() == "7KQ4XR2PDM9A";
}());
static_assert(!backup_code::parse("7KQ4-XR2P-DM9O").has_value());

// ---- The alphabet and the entropy claim -------------------------------------------------

BOOST_AUTO_TEST_CASE(alphabet_has_31_distinct_symbols_without_look_alikes) {
    const std::string_view alphabet = tf::backup_code_alphabet;
    BOOST_TEST(alphabet.size() == 31u);
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        const char c = alphabet[i];
        BOOST_TEST(((c >= '2' && c <= '9') || (c >= 'A' && c <= 'Z')), "symbol '" << c << "'");
        BOOST_TEST(alphabet.find(c, i + 1) == std::string_view::npos, "repeated symbol '" << c << "'");
    }
    for (const char look_alike : std::string_view("0O1IL"))
        BOOST_TEST(alphabet.find(look_alike) == std::string_view::npos, "look-alike '" << look_alike << "'");
    // Every other digit and capital letter is in: 8 digits + 26 letters - O, I, L.
    for (char c = '2'; c <= '9'; ++c) BOOST_TEST(in_alphabet(c));
    for (char c = 'A'; c <= 'Z'; ++c) BOOST_TEST(in_alphabet(c) == (c != 'O' && c != 'I' && c != 'L'));
}

BOOST_AUTO_TEST_CASE(codes_carry_at_least_50_bits) {
    const double bits = static_cast<double>(tf::backup_code_length) *
                        std::log2(static_cast<double>(tf::backup_code_alphabet.size()));
    BOOST_TEST(bits >= 50.0);
    BOOST_TEST(bits == 59.45, boost::test_tools::tolerance(0.001));  // the header's "59.4 bits"
}

// ---- Generation -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(generated_codes_are_well_formed_and_distinct) {
    tf::os_random rng;
    const auto fresh = backup_code_set<10>::generate(rng, test_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    BOOST_TEST(fresh->set.remaining() == 10u);
    BOOST_TEST(fresh->set.iterations() == test_iterations);
    for (std::size_t i = 0; i < 10; ++i) {
        BOOST_TEST_CONTEXT("code " << i) {
            const backup_code& code = fresh->codes[i];
            const std::string plain = normalised(code);
            BOOST_TEST(plain.size() == tf::backup_code_length);
            for (const char c : plain) BOOST_TEST(in_alphabet(c), "'" << c << "' not in the alphabet");

            // Grouped display form: "XXXX-XXXX-XXXX", the same symbols.
            const std::string shown = grouped(code);
            BOOST_TEST(shown.size() == tf::backup_code_display_size);
            BOOST_TEST(shown[4] == '-');
            BOOST_TEST(shown[9] == '-');
            BOOST_TEST(shown.substr(0, 4) + shown.substr(5, 4) + shown.substr(10, 4) == plain);

            // Both forms parse back to the code.
            const auto from_grouped = backup_code::parse(shown);
            const auto from_plain = backup_code::parse(plain);
            BOOST_TEST_REQUIRE(from_grouped.has_value());
            BOOST_TEST_REQUIRE(from_plain.has_value());
            BOOST_TEST(*from_grouped == code);
            BOOST_TEST(*from_plain == code);

            BOOST_TEST(!fresh->set.used(i));
            for (std::size_t j = 0; j < i; ++j)
                BOOST_TEST(!(fresh->codes[j] == code), "codes " << j << " and " << i);
        }
    }
}

BOOST_AUTO_TEST_CASE(generate_from_the_os_random_overload) {
    auto fresh = backup_code_set<2>::generate(test_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    BOOST_TEST(value_of(fresh->set.consume(grouped(fresh->codes[1]))) == (backup_code_use{1, 1}));
}

BOOST_AUTO_TEST_CASE(smallest_and_largest_sets) {
    auto one = generate_with<1, tf::sha256>(1);
    BOOST_TEST(value_of(one.set.consume(grouped(one.codes[0]))) == (backup_code_use{0, 0}));
    BOOST_TEST(error_of(one.set.consume(grouped(one.codes[0]))) == errc::backup_code_used);

    auto many = generate_with<64, tf::sha256>(2);
    for (std::size_t i = 0; i < 64; ++i)
        for (std::size_t j = 0; j < i; ++j) BOOST_TEST(!(many.codes[i] == many.codes[j]));
    BOOST_TEST(value_of(many.set.consume(grouped(many.codes[63]))) == (backup_code_use{63, 63}));
    BOOST_TEST(value_of(many.set.consume(grouped(many.codes[0]))) == (backup_code_use{0, 62}));
}

// The documented mapping: bytes >= 248 (= 8 * 31) are skipped, the others map to byte % 31;
// a code equal to an earlier one of the set is drawn again.
BOOST_AUTO_TEST_CASE(symbols_by_rejection_and_repeats_redrawn) {
    scripted_source rng;
    rng.script.assign(16, 0xaa);  // the salt
    // Code 0: 0..7, then 248 and 255 (rejected), then 8, 30, 31, 61.
    for (const std::uint8_t b : {0, 1, 2, 3, 4, 5, 6, 7, 248, 255, 8, 30, 31, 61}) rng.script.push_back(b);
    // Code 1, first draw: the same symbols as code 0 (0..7, 8, 30, 31 % 31 = 0, 61 % 31 = 30): redrawn.
    for (const std::uint8_t b : {0, 1, 2, 3, 4, 5, 6, 7, 8, 30, 0, 30}) rng.script.push_back(b);
    // Code 1, second draw.
    for (const std::uint8_t b : {100, 200, 247, 249, 1, 2, 3, 4, 5, 6, 7, 8, 9}) rng.script.push_back(b);
    // Code 2, first draw: the same symbols as code 1 (a repeat of any earlier code, not only
    // of the first): redrawn.
    for (const std::uint8_t b : {100, 200, 247, 1, 2, 3, 4, 5, 6, 7, 8, 9}) rng.script.push_back(b);
    // Codes 2.. come from the counter 0, 1, 2, ... that follows the script.

    const auto fresh = backup_code_set<4>::generate(rng, test_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    for (const std::byte b : fresh->set.salt()) BOOST_TEST(static_cast<int>(b) == 0xaa);
    BOOST_TEST(normalised(fresh->codes[0]) == "23456789AZ2Z");
    BOOST_TEST(normalised(fresh->codes[1]) == "9GZ3456789AB");
    BOOST_TEST(normalised(fresh->codes[2]) == "23456789ABCD");
    BOOST_TEST(normalised(fresh->codes[3]) == "EFGHJKMNPQRS");
}

namespace {
template <std::size_t N, class Rng>
std::array<std::size_t, 31> symbol_counts(Rng& rng, std::size_t sets) {
    std::array<std::size_t, 31> counts{};
    for (std::size_t s = 0; s < sets; ++s) {
        const auto fresh = backup_code_set<N>::generate(rng, test_iterations);
        BOOST_TEST_REQUIRE(fresh.has_value());
        for (const backup_code& code : fresh->codes)
            for (const char c : code.reveal_normalised()) ++counts[tf::backup_code_alphabet.find(c)];
    }
    return counts;
}

void check_uniform(const std::array<std::size_t, 31>& counts, double per_symbol_tolerance) {
    std::size_t total = 0;
    for (const std::size_t n : counts) total += n;
    const double expected = static_cast<double>(total) / 31.0;
    for (std::size_t i = 0; i < counts.size(); ++i)
        BOOST_TEST(std::abs(static_cast<double>(counts[i]) - expected) <= per_symbol_tolerance * expected,
                   "symbol '" << tf::backup_code_alphabet[i] << "': " << counts[i] << " of " << total);
    BOOST_TEST(chi_square(counts) < chi_square_limit);
    BOOST_TEST_MESSAGE("chi-square over " << total << " symbols: " << chi_square(counts));
}
}  // namespace

BOOST_AUTO_TEST_CASE(symbols_are_uniform_deterministic_stream) {
    // 63 sets of 64 codes: 48,384 symbols, about 1,561 per symbol.
    splitmix_source rng{20261128};
    const auto counts = symbol_counts<64>(rng, 63);
    check_uniform(counts, 0.15);

    // The check has power: the same amount of the same stream mapped by byte % 31 without
    // rejection (symbols 0..7 too frequent by 9/8) fails it.
    splitmix_source biased_stream{20261128};
    std::array<std::size_t, 31> biased{};
    std::array<std::byte, 64> block{};
    for (std::size_t done = 0; done < 63 * 64 * tf::backup_code_length; done += block.size()) {
        BOOST_TEST_REQUIRE(biased_stream.fill(block).has_value());
        for (const std::byte b : block) ++biased[static_cast<std::size_t>(b) % 31];
    }
    BOOST_TEST(chi_square(biased) > chi_square_limit);
    BOOST_TEST_MESSAGE("chi-square of the biased mapping: " << chi_square(biased));
}

BOOST_AUTO_TEST_CASE(symbols_are_uniform_os_random) {
    // 32 sets of 64 codes: 24,576 symbols, about 793 per symbol (standard deviation 28).
    tf::os_random rng;
    check_uniform(symbol_counts<64>(rng, 32), 0.25);
}

// ---- Single use -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(each_code_works_exactly_once) {
    const auto fresh = generate_10(7);
    auto set = fresh.set;
    for (std::size_t i = 0; i < 10; ++i) {
        BOOST_TEST_CONTEXT("code " << i) {
            const auto before = set;
            const auto use = set.consume(grouped(fresh.codes[i]));
            BOOST_TEST_REQUIRE(use.has_value());
            BOOST_TEST(*use == (backup_code_use{i, 9 - i}));
            BOOST_TEST(set.remaining() == 9 - i);
            BOOST_TEST(set.used(i));
            BOOST_TEST(!(set == before));

            // Every code used so far is refused, and the set stays as it is.
            for (std::size_t j = 0; j <= i; ++j) {
                const auto snapshot = set;
                BOOST_TEST(error_of(set.consume(grouped(fresh.codes[j]))) == errc::backup_code_used);
                BOOST_TEST(error_of(set.consume(normalised(fresh.codes[j]))) == errc::backup_code_used);
                BOOST_TEST(set == snapshot);
            }
            for (std::size_t j = i + 1; j < 10; ++j) BOOST_TEST(!set.used(j));
        }
    }
    BOOST_TEST(set.remaining() == 0u);
}

BOOST_AUTO_TEST_CASE(codes_work_in_any_order) {
    const auto fresh = generate_10(8);
    auto set = fresh.set;
    const std::array<std::size_t, 10> order{9, 3, 0, 7, 1, 8, 5, 2, 6, 4};
    std::size_t left = 10;
    for (const std::size_t i : order) {
        BOOST_TEST(value_of(set.consume(fresh.codes[i])) == (backup_code_use{i, --left}));
        BOOST_TEST(error_of(set.consume(fresh.codes[i])) == errc::backup_code_used);
    }
}

BOOST_AUTO_TEST_CASE(codes_of_another_set_and_random_codes_are_wrong) {
    const auto mine = generate_10(11);
    const auto theirs = generate_10(12);
    auto set = mine.set;
    BOOST_TEST_REQUIRE(set.consume(mine.codes[4]).has_value());
    const auto before = set;
    for (const backup_code& code : theirs.codes) {
        BOOST_TEST(error_of(set.consume(grouped(code))) == errc::wrong_code);
        BOOST_TEST(set == before);
    }
    std::mt19937_64 random(4711);
    for (int i = 0; i < 20; ++i) {
        const std::string typed = random_well_formed(random);
        BOOST_TEST(error_of(set.consume(typed)) == errc::wrong_code, typed);
        BOOST_TEST(set == before);
    }
}

BOOST_AUTO_TEST_CASE(a_set_with_another_salt_matches_nothing) {
    const auto fresh = generate_10(13);
    std::array<std::byte, 16> salt{};
    std::copy(fresh.set.salt().begin(), fresh.set.salt().end(), salt.begin());
    salt[15] ^= std::byte{1};
    std::array<backup_code_set<>::digest_type, 10> digests{};
    std::array<bool, 10> used{};
    for (std::size_t i = 0; i < 10; ++i) digests[i] = fresh.set.digest(i);
    auto moved = backup_code_set<>::from_parts(salt, fresh.set.iterations(), digests, used);
    BOOST_TEST_REQUIRE(moved.has_value());
    for (const backup_code& code : fresh.codes)
        BOOST_TEST(error_of(moved->consume(code)) == errc::wrong_code);
}

BOOST_AUTO_TEST_CASE(an_empty_set_matches_nothing) {
    backup_code_set<> empty;
    BOOST_TEST(empty.remaining() == 0u);
    for (std::size_t i = 0; i < 10; ++i) BOOST_TEST(empty.used(i));
    const auto fresh = generate_10(14);
    const auto before = empty;
    BOOST_TEST(error_of(empty.consume(fresh.codes[0])) == errc::wrong_code);
    BOOST_TEST(error_of(empty.consume("222222222222")) == errc::wrong_code);
    BOOST_TEST(empty == before);
    BOOST_TEST(empty == backup_code_set<>{});
}

BOOST_AUTO_TEST_CASE(regenerating_makes_the_old_codes_stop_working) {
    tf::os_random rng;
    const auto old_codes = backup_code_set<10>::generate(rng, test_iterations);
    const auto new_codes = backup_code_set<10>::generate(rng, test_iterations);
    BOOST_TEST_REQUIRE(old_codes.has_value());
    BOOST_TEST_REQUIRE(new_codes.has_value());
    BOOST_TEST(!(old_codes->set == new_codes->set));
    BOOST_TEST(!std::equal(old_codes->set.salt().begin(), old_codes->set.salt().end(),
                           new_codes->set.salt().begin()));
    auto stored = new_codes->set;
    for (const backup_code& code : old_codes->codes)
        BOOST_TEST(error_of(stored.consume(grouped(code))) == errc::wrong_code);
    BOOST_TEST(stored == new_codes->set);
    for (std::size_t i = 0; i < 10; ++i)
        BOOST_TEST(value_of(stored.consume(grouped(new_codes->codes[i]))) == (backup_code_use{i, 9 - i}));
}

// ---- What a user may type ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(typed_forms_are_normalised) {
    const auto fresh = generate_10(21);
    for (std::size_t i : {std::size_t{0}, std::size_t{5}, std::size_t{9}}) {
        const std::string plain = normalised(fresh.codes[i]);
        const std::string g1 = plain.substr(0, 4), g2 = plain.substr(4, 4), g3 = plain.substr(8, 4);
        std::string mixed_case = plain;
        for (std::size_t k = 0; k < mixed_case.size(); k += 2)
            mixed_case[k] = lowercase(mixed_case.substr(k, 1))[0];
        std::string hyphens_everywhere = "--";
        for (const char c : plain) (hyphens_everywhere += c) += '-';
        const std::vector<std::string> forms{
            plain,                                     // ungrouped
            grouped(fresh.codes[i]),                   // as shown
            lowercase(grouped(fresh.codes[i])),        // lower case
            lowercase(plain),                          //
            mixed_case,                                //
            g1 + " " + g2 + " " + g3,                  // spaces
            "\t" + g1 + "\t" + g2 + "\t" + g3 + "\t",  // tabs
            hyphens_everywhere,                        // hyphens anywhere
            "  " + g1 + "-" + g2 + "-" + g3 + "  ",    // surrounding spaces
            g1 + " - " + lowercase(g2) + "\t-" + g3,   // mixed separators
            plain.substr(0, 3) + " " + plain.substr(3, 3) + " " + plain.substr(6, 3) + " " +
                plain.substr(9),  // groups of three
            g1 + g2 + "-" + g3,   // partly grouped
        };
        for (const std::string& form : forms) {
            BOOST_TEST_CONTEXT("code " << i << " typed as \"" << form << '"') {
                const auto parsed = backup_code::parse(form);
                BOOST_TEST_REQUIRE(parsed.has_value());
                BOOST_TEST(*parsed == fresh.codes[i]);
                BOOST_TEST(parsed->reveal_normalised() == plain);
                auto set = fresh.set;
                BOOST_TEST(value_of(set.consume(form)) == (backup_code_use{i, 9}));
            }
        }
    }
    // The header's example.
    const auto example = backup_code::parse("7kq4 xr2p-dm9a");
    BOOST_TEST_REQUIRE(example.has_value());
    BOOST_TEST(example->reveal_normalised() == "7KQ4XR2PDM9A");
    const auto shown = example->reveal_grouped();
    BOOST_TEST(std::string_view(shown.data(), shown.size()) == "7KQ4-XR2P-DM9A");
}

BOOST_AUTO_TEST_CASE(every_byte_is_classified) {
    // A byte inserted into a valid code: accepted exactly when it is a separator or a symbol
    // in either case; for a symbol the code then has 13 symbols, so it is malformed too.
    const std::string base = "7KQ4XR2PDM9A";
    for (int value = 0; value < 256; ++value) {
        const char c = static_cast<char>(value);
        const bool separator = c == ' ' || c == '\t' || c == '-';
        std::string typed = base;
        typed.insert(6, 1, c);
        const auto parsed = backup_code::parse(typed);
        BOOST_TEST(parsed.has_value() == separator, "byte " << value);
        if (separator && parsed) BOOST_TEST(parsed->reveal_normalised() == base);
        if (!parsed) BOOST_TEST(parsed.error() == errc::malformed_backup_code, "byte " << value);

        // In place of a symbol: accepted exactly for the alphabet, in either case.
        std::string replaced = base;
        replaced[6] = c;
        const bool symbol =
            in_alphabet(c) || (c >= 'a' && c <= 'z' && in_alphabet(static_cast<char>(c - 'a' + 'A')));
        BOOST_TEST(backup_code::parse(replaced).has_value() == symbol, "byte " << value);
    }
}

BOOST_AUTO_TEST_CASE(malformed_input_is_refused_before_any_hashing) {
    auto fresh = generate_with<10, counting_sha256>(31);
    const std::string plain = normalised(fresh.codes[2]);
    std::vector<std::string> inputs{
        "",                   // empty
        "-",                  // only separators
        "    ",               //
        "\t-\t- -",           //
        "--------------",     //
        plain.substr(0, 11),  // 11 symbols
        plain.substr(0, 4) + "-" + plain.substr(4, 4) + "-" + plain.substr(8, 3),
        plain + "2",                     // 13 symbols
        grouped(fresh.codes[2]) + "-2",  //
        plain + plain,                   // two codes
        plain + std::string(1, '\0'),    // embedded NUL
        plain.substr(0, 6) + std::string(1, '\0') + plain.substr(6),
        plain + "\n",  // a line end is not a separator
        plain.substr(0, 4) + "_" + plain.substr(4, 4) + "_" + plain.substr(8),
        plain.substr(0, 4) + "." + plain.substr(4, 4) + "." + plain.substr(8),
        plain.substr(0, 11) + "\xc3\x89",  // non-ASCII: U+00C9
        plain + "\xc2\xa0",                // a trailing no-break space
        "\xef\xbc\x97" + plain.substr(1),  // a full-width digit
        plain.substr(0, 11) + "\x80",      // a lone continuation byte
    };
    // Look-alikes in place of a symbol, in either case.
    for (const char look_alike : std::string_view("0O1ILoil"))
        for (const std::size_t at : {std::size_t{0}, std::size_t{6}, std::size_t{11}}) {
            std::string typed = plain;
            typed[at] = look_alike;
            inputs.push_back(typed);
        }

    const auto before = fresh.set;
    for (const std::string& typed : inputs) {
        BOOST_TEST_CONTEXT("typed \"" << typed << "\" (" << typed.size() << " chars)") {
            BOOST_TEST(error_of(backup_code::parse(typed)) == errc::malformed_backup_code);
            hash_work = {};
            BOOST_TEST(error_of(fresh.set.consume(typed)) == errc::malformed_backup_code);
            BOOST_TEST(hash_work.finalizations == 0u);  // nothing was hashed
            BOOST_TEST(fresh.set == before);
        }
    }
}

BOOST_AUTO_TEST_CASE(backup_code_equality) {
    const auto a = backup_code::parse("7KQ4-XR2P-DM9A");
    const auto b = backup_code::parse("7kq4xr2pdm9a");
    const auto last_differs = backup_code::parse("7KQ4-XR2P-DM9B");
    const auto first_differs = backup_code::parse("8KQ4-XR2P-DM9A");
    BOOST_TEST_REQUIRE((a && b && last_differs && first_differs));
    BOOST_TEST(*a == *b);  // case and separators do not matter
    BOOST_TEST(*a == *a);
    BOOST_TEST(!(*a == *last_differs));
    BOOST_TEST(!(*a == *first_differs));
    BOOST_TEST(!(*last_differs == *first_differs));
    const backup_code copy = *a;
    BOOST_TEST(copy == *a);
    backup_code assigned;
    BOOST_TEST(!(assigned == *a));
    assigned = *last_differs;
    BOOST_TEST(assigned == *last_differs);
    // A default code is the first symbol twelve times.
    BOOST_TEST(backup_code{} == value_of(backup_code::parse("2222-2222-2222")));
    BOOST_TEST(backup_code{}.reveal_normalised() == "222222222222");
}

// ---- The stored form --------------------------------------------------------------------

namespace {
template <std::size_t N, class Hash>
void check_digests_are_pbkdf2(const tf::generated_backup_codes<N, Hash>& fresh) {
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST_CONTEXT(Hash::name << " code " << i) {
            const std::string plain = normalised(fresh.codes[i]);
            std::array<std::byte, Hash::digest_size> ours{};
            tf::pbkdf2<Hash>(std::as_bytes(std::span(plain)), fresh.set.salt(), fresh.set.iterations(), ours);
            BOOST_TEST(twofactor_test::to_hex(ours) == twofactor_test::to_hex(fresh.set.digest(i)));
        }
    }
}
}  // namespace

BOOST_AUTO_TEST_CASE(digests_are_pbkdf2_hmac_of_the_normalised_code) {
    check_digests_are_pbkdf2(generate_with<10, tf::sha256>(41));
    check_digests_are_pbkdf2(generate_with<3, tf::sha1>(42));
    check_digests_are_pbkdf2(generate_with<3, tf::sha512>(43));
    // The counting model is SHA-256 too: same digests for the same stream.
    const auto plain = generate_with<10, tf::sha256>(44);
    const auto counted = generate_with<10, counting_sha256>(44);
    for (std::size_t i = 0; i < 10; ++i) {
        BOOST_TEST(plain.codes[i] == counted.codes[i]);
        BOOST_TEST(twofactor_test::to_hex(plain.set.digest(i)) ==
                   twofactor_test::to_hex(counted.set.digest(i)));
    }
}

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
namespace {
template <std::size_t N, class Hash>
void check_digests_against_openssl(const tf::generated_backup_codes<N, Hash>& fresh, const EVP_MD* md) {
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST_CONTEXT(Hash::name << " code " << i) {
            const std::string plain = normalised(fresh.codes[i]);
            const auto salt = fresh.set.salt();
            std::array<unsigned char, Hash::digest_size> theirs{};
            BOOST_TEST_REQUIRE(PKCS5_PBKDF2_HMAC(plain.data(), static_cast<int>(plain.size()),
                                                 reinterpret_cast<const unsigned char*>(salt.data()),
                                                 static_cast<int>(salt.size()),
                                                 static_cast<int>(fresh.set.iterations()), md,
                                                 static_cast<int>(theirs.size()), theirs.data()) == 1);
            BOOST_TEST(std::memcmp(theirs.data(), fresh.set.digest(i).data(), theirs.size()) == 0);
        }
    }
}
}  // namespace

BOOST_AUTO_TEST_CASE(digests_agree_with_openssl_pkcs5_pbkdf2_hmac) {
    check_digests_against_openssl(generate_with<10, tf::sha256>(51), EVP_sha256());
    check_digests_against_openssl(generate_with<3, tf::sha1>(52), EVP_sha1());
    check_digests_against_openssl(generate_with<3, tf::sha512>(53), EVP_sha512());
    // Another cost than the minimum.
    splitmix_source rng{54};
    const auto costlier = backup_code_set<2>::generate(rng, 1'234);
    BOOST_TEST_REQUIRE(costlier.has_value());
    BOOST_TEST(costlier->set.iterations() == 1'234u);
    check_digests_against_openssl(*costlier, EVP_sha256());
}
#endif

namespace {
struct parts {
    std::array<std::byte, 16> salt{};
    std::uint32_t iterations = 0;
    std::array<backup_code_set<>::digest_type, 10> digests{};
    std::array<bool, 10> used{};
};

parts parts_of(const backup_code_set<>& set) {
    parts p;
    std::copy(set.salt().begin(), set.salt().end(), p.salt.begin());
    p.iterations = set.iterations();
    for (std::size_t i = 0; i < 10; ++i) {
        p.digests[i] = set.digest(i);
        p.used[i] = set.used(i);
    }
    return p;
}

tf::result<backup_code_set<>> rebuild(const parts& p) {
    return backup_code_set<>::from_parts(p.salt, p.iterations, p.digests, p.used);
}
}  // namespace

BOOST_AUTO_TEST_CASE(from_parts_round_trip) {
    const auto fresh = generate_10(61);
    auto set = fresh.set;
    BOOST_TEST_REQUIRE(set.consume(fresh.codes[2]).has_value());
    BOOST_TEST_REQUIRE(set.consume(fresh.codes[7]).has_value());

    auto rebuilt = rebuild(parts_of(set));
    BOOST_TEST_REQUIRE(rebuilt.has_value());
    BOOST_TEST(*rebuilt == set);
    BOOST_TEST(rebuilt->remaining() == 8u);
    BOOST_TEST(error_of(rebuilt->consume(fresh.codes[2])) == errc::backup_code_used);
    BOOST_TEST(error_of(rebuilt->consume(fresh.codes[7])) == errc::backup_code_used);
    BOOST_TEST(value_of(rebuilt->consume(grouped(fresh.codes[5]))) == (backup_code_use{5, 7}));

    // Every part takes part in ==.
    const parts original = parts_of(set);
    parts p = original;
    p.salt[3] ^= std::byte{0x10};
    BOOST_TEST(!(value_of(rebuild(p)) == set));
    p = original;
    p.iterations += 1;
    BOOST_TEST(!(value_of(rebuild(p)) == set));
    p = original;
    p.digests[9][31] ^= std::byte{0x01};
    BOOST_TEST(!(value_of(rebuild(p)) == set));
    p = original;
    p.used[0] = !p.used[0];
    BOOST_TEST(!(value_of(rebuild(p)) == set));
    BOOST_TEST(value_of(rebuild(original)) == set);

    // All used: every code is refused as used, not as wrong.
    p = original;
    p.used.fill(true);
    auto spent = rebuild(p);
    BOOST_TEST_REQUIRE(spent.has_value());
    for (const backup_code& code : fresh.codes)
        BOOST_TEST(error_of(spent->consume(code)) == errc::backup_code_used);
}

BOOST_AUTO_TEST_CASE(iteration_counts_out_of_range_are_refused) {
    parts p = parts_of(generate_10(62).set);
    for (const std::uint32_t bad : {0U, 1U, 999U, 10'000'001U, std::numeric_limits<std::uint32_t>::max()}) {
        BOOST_TEST_CONTEXT("iterations " << bad) {
            p.iterations = bad;
            BOOST_TEST(error_of(rebuild(p)) == errc::invalid_hash_cost);
            splitmix_source rng{63};
            BOOST_TEST(error_of(backup_code_set<>::generate(rng, bad)) == errc::invalid_hash_cost);
            BOOST_TEST(rng.calls == 0);  // checked before drawing anything
        }
    }
    for (const std::uint32_t good : {tf::min_backup_code_iterations, tf::max_backup_code_iterations}) {
        p.iterations = good;
        const auto set = rebuild(p);
        BOOST_TEST_REQUIRE(set.has_value());
        BOOST_TEST(set->iterations() == good);
    }
}

BOOST_AUTO_TEST_CASE(random_source_failures_are_reported) {
    for (const int successes : {0, 1, 2}) {
        // 0: the salt fails; 1: the first pool of symbols; 2: a later pool (64 bytes give
        // about 62 symbols: five codes), after some codes were hashed.
        failing_source rng{successes};
        const auto fresh = backup_code_set<10>::generate(rng, test_iterations);
        BOOST_TEST(error_of(fresh) == errc::random_source_failed, "after " << successes << " successes");
        BOOST_TEST(rng.calls == successes + 1);  // no retry
    }
    tf::callback_random refusing{[](std::span<std::byte>) { return false; }};
    BOOST_TEST(error_of(backup_code_set<10>::generate(refusing, test_iterations)) ==
               errc::random_source_failed);
}

// A hardware generator stuck at one value is an error, not an endless loop: bytes that are all
// rejected (>= 248), or one code drawn again and again.
BOOST_AUTO_TEST_CASE(a_stuck_random_source_is_reported) {
    for (const int stuck : {0x00, 0x41, 0xf7, 0xf8, 0xff}) {
        BOOST_TEST_CONTEXT("every byte " << stuck) {
            tf::callback_random constant{[stuck](std::span<std::byte> out) {
                std::fill(out.begin(), out.end(), std::byte(stuck));
                return true;
            }};
            BOOST_TEST(error_of(backup_code_set<10>::generate(constant, test_iterations)) ==
                       errc::random_source_failed);
            BOOST_TEST(error_of(backup_code_set<2>::generate(constant, test_iterations)) ==
                       errc::random_source_failed);
            // One code cannot repeat another; only bytes that map to no symbol are seen.
            const auto single = backup_code_set<1>::generate(constant, test_iterations);
            BOOST_TEST(single.has_value() == (stuck < 0xf8));
        }
    }
    // The limits themselves: 63 rejected bytes in a row, and a code that repeats another on
    // two draws and not on the third, are still accepted.
    scripted_source rng;
    rng.script.assign(16, 0xaa);                    // the salt
    rng.script.insert(rng.script.end(), 63, 0xff);  // rejected
    for (int draw = 0; draw < 3; ++draw)            // code 0, then code 1 twice the same
        for (const std::uint8_t b : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}) rng.script.push_back(b);
    for (const std::uint8_t b : {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}) rng.script.push_back(b);
    const auto fresh = backup_code_set<2>::generate(rng, test_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    BOOST_TEST(normalised(fresh->codes[0]) == "23456789ABCD");
    BOOST_TEST(normalised(fresh->codes[1]) == "EFGHJKMNPQRS");
    // One more rejected byte, or one more repeated draw, and the source counts as stuck.
    for (const bool more_rejected : {true, false}) {
        scripted_source stuck = rng;
        stuck.next = 0;
        if (more_rejected) {
            stuck.script.insert(stuck.script.begin() + 16, 0xff);
        } else {
            const std::vector<std::uint8_t> code_0(rng.script.begin() + 79, rng.script.begin() + 91);
            stuck.script.insert(stuck.script.end() - 12, code_0.begin(), code_0.end());
        }
        BOOST_TEST(
            error_of(backup_code_set<2>::generate(stuck, test_iterations)) == errc::random_source_failed,
            more_rejected);
    }
}

// ---- The same work whichever code matches -----------------------------------------------

BOOST_AUTO_TEST_CASE(consume_does_one_pbkdf2_whichever_code_matches) {
    const auto fresh = generate_with<10, counting_sha256>(71);

    // The work of one PBKDF2 of a code with this salt and cost.
    const std::string password = normalised(fresh.codes[0]);
    hash_work = {};
    std::array<std::byte, 32> derived{};
    tf::pbkdf2<counting_sha256>(std::as_bytes(std::span(password)), fresh.set.salt(), fresh.set.iterations(),
                                derived);
    const work_counter one_pbkdf2 = hash_work;
    BOOST_TEST(one_pbkdf2.finalizations == 2u * test_iterations);

    // generate(): one per code.
    hash_work = {};
    splitmix_source rng{72};
    BOOST_TEST_REQUIRE((backup_code_set<10, counting_sha256>::generate(rng, test_iterations).has_value()));
    BOOST_TEST(hash_work.finalizations == 10 * one_pbkdf2.finalizations);
    BOOST_TEST(hash_work.bytes == 10 * one_pbkdf2.bytes);

    auto spent = fresh.set;
    BOOST_TEST_REQUIRE(spent.consume(fresh.codes[4]).has_value());
    const auto other = generate_with<10, counting_sha256>(73);
    std::mt19937_64 random(74);
    struct case_ {
        const char* what;
        backup_code_set<10, counting_sha256> set;
        std::string typed;
        bool accepted;
    };
    const std::vector<case_> cases{
        {"the first code", fresh.set, grouped(fresh.codes[0]), true},
        {"the last code", fresh.set, grouped(fresh.codes[9]), true},
        {"a middle code", fresh.set, normalised(fresh.codes[5]), true},
        {"no code", fresh.set, random_well_formed(random), false},
        {"a code of another set", fresh.set, grouped(other.codes[0]), false},
        {"a used code", spent, grouped(fresh.codes[4]), false},
    };
    for (const case_& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            auto set = c.set;
            hash_work = {};
            BOOST_TEST(set.consume(c.typed).has_value() == c.accepted);
            BOOST_TEST(hash_work == one_pbkdf2);
        }
    }
}

// ---- The download text ------------------------------------------------------------------

namespace {
constexpr std::chrono::year_month_day day_of_generation{std::chrono::year{2026}, std::chrono::November,
                                                        std::chrono::day{28}};

template <std::size_t N>
std::string download_text(const tf::backup_codes_text_info& info, const std::array<backup_code, N>& codes) {
    const std::span<const backup_code, N> view(codes);
    const std::size_t size = tf::backup_codes_text_size(info, view);
    std::string buffer(size + 16, '#');
    const auto written = tf::write_backup_codes_text(std::span<char>(buffer), info, view);
    BOOST_TEST_REQUIRE(written.has_value());
    BOOST_TEST(*written == size);
    BOOST_TEST(buffer.substr(size) == std::string(16, '#'));  // nothing past the end
    buffer.resize(size);
    return buffer;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(text.substr(start, end - start));
    BOOST_TEST(start == text.size(), "the text ends with a line end");
    return lines;
}
}  // namespace

BOOST_AUTO_TEST_CASE(download_text_holds_everything_needed) {
    const auto fresh = generate_10(81);
    const std::string text = download_text({"ACME Co", "alice@example.com", day_of_generation}, fresh.codes);
    BOOST_TEST_MESSAGE("download text:\n" << text);
    const auto lines = lines_of(text);
    BOOST_TEST_REQUIRE(lines.size() > 14u);
    BOOST_TEST(lines[0] == "Backup codes for ACME Co (alice@example.com)");
    BOOST_TEST(lines[1] == "Generated 2026-11-28");
    BOOST_TEST(text.find("Each code signs you in once") != std::string::npos);
    BOOST_TEST(text.find("Keep these codes as safe as a password") != std::string::npos);
    BOOST_TEST(text.find("Each code\nworks once.") != std::string::npos);
    BOOST_TEST(text.find("Generating new codes makes all of these stop working.") != std::string::npos);
    BOOST_TEST(text.find('\r') == std::string::npos);
    BOOST_TEST(
        std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));

    // The codes, numbered 1..10 and grouped, one a line, in order, each exactly once.
    const auto first = std::find(lines.begin(), lines.end(), " 1. " + grouped(fresh.codes[0]));
    BOOST_TEST_REQUIRE((first != lines.end()));
    BOOST_TEST_REQUIRE(static_cast<std::size_t>(lines.end() - first) >= 10u);
    auto set = fresh.set;
    for (std::size_t i = 0; i < 10; ++i) {
        const std::string expected =
            (i < 9 ? " " : "") + std::to_string(i + 1) + ". " + grouped(fresh.codes[i]);
        BOOST_TEST(first[static_cast<std::ptrdiff_t>(i)] == expected);
        BOOST_TEST(std::count(lines.begin(), lines.end(), expected) == 1);
        // What is printed is what works.
        const std::string printed = first[static_cast<std::ptrdiff_t>(i)].substr(4);
        BOOST_TEST(value_of(set.consume(printed)) == (backup_code_use{i, 9 - i}));
    }
}

BOOST_AUTO_TEST_CASE(download_text_variants) {
    const auto fresh = generate_10(82);

    // No issuer: the account alone.
    const std::string no_issuer = download_text({"", "alice@example.com", day_of_generation}, fresh.codes);
    BOOST_TEST(lines_of(no_issuer)[0] == "Backup codes for alice@example.com");
    const std::string with_issuer =
        download_text({"ACME Co", "alice@example.com", day_of_generation}, fresh.codes);
    BOOST_TEST(with_issuer.size() == no_issuer.size() + std::string_view("ACME Co ()").size());

    // UTF-8 names pass through; month and day are zero-padded.
    const std::chrono::year_month_day january_5{std::chrono::year{2027}, std::chrono::January,
                                                std::chrono::day{5}};
    const std::string utf8 = download_text({"Caf\xc3\xa9", "j\xc3\xbcrgen", january_5}, fresh.codes);
    BOOST_TEST(lines_of(utf8)[0] == "Backup codes for Caf\xc3\xa9 (j\xc3\xbcrgen)");
    BOOST_TEST(lines_of(utf8)[1] == "Generated 2027-01-05");

    // Fewer than ten codes: no padding before the numbers.
    const auto three = generate_with<3, tf::sha256>(83);
    const auto lines = lines_of(download_text({"ACME Co", "bob", day_of_generation}, three.codes));
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(std::count(lines.begin(), lines.end(),
                              std::to_string(i + 1) + ". " + grouped(three.codes[i])) == 1);
}

BOOST_AUTO_TEST_CASE(download_text_refuses_a_date_it_cannot_print) {
    using namespace std::chrono;
    const auto fresh = generate_10(85);
    const std::span<const backup_code, 10> codes(fresh.codes);
    // A day that does not exist, and years that YYYY cannot show; nothing is written.
    for (const year_month_day date :
         {year_month_day{year{2024}, month{13}, day{40}}, year{2023} / February / 29, year{2024} / April / 31,
          year{-1} / January / 1, year{10000} / January / 1}) {
        BOOST_TEST_CONTEXT(static_cast<int>(date.year()) << "-" << static_cast<unsigned>(date.month()) << "-"
                                                         << static_cast<unsigned>(date.day())) {
            const tf::backup_codes_text_info info{"ACME Co", "alice", date};
            std::string buffer(4096, '#');
            BOOST_TEST(error_of(tf::write_backup_codes_text(std::span<char>(buffer), info, codes)) ==
                       errc::invalid_date);
            BOOST_TEST(buffer == std::string(4096, '#'), "nothing written");
        }
    }
    // The first and last printable days, and a leap day.
    for (const auto& [date, printed] : {std::pair{year{0} / January / 1, "Generated 0000-01-01"},
                                        std::pair{year{9999} / December / 31, "Generated 9999-12-31"},
                                        std::pair{year{2024} / February / 29, "Generated 2024-02-29"}}) {
        BOOST_TEST(lines_of(download_text({"ACME Co", "alice", date}, fresh.codes))[1] == printed);
    }
}

BOOST_AUTO_TEST_CASE(download_text_into_a_small_buffer) {
    const auto fresh = generate_10(84);
    const tf::backup_codes_text_info info{"ACME Co", "alice@example.com", day_of_generation};
    const std::span<const backup_code, 10> codes(fresh.codes);
    const std::size_t size = tf::backup_codes_text_size(info, codes);
    for (const std::size_t capacity : {std::size_t{0}, std::size_t{1}, size / 2, size - 1}) {
        std::string buffer(capacity, '#');
        BOOST_TEST(error_of(tf::write_backup_codes_text(std::span<char>(buffer), info, codes)) ==
                   errc::output_too_small);
        BOOST_TEST(buffer == std::string(capacity, '#'), "nothing written");
    }
    std::string exact(size, '#');
    BOOST_TEST(value_of(tf::write_backup_codes_text(std::span<char>(exact), info, codes)) == size);
    BOOST_TEST(exact.back() == '\n');
}
