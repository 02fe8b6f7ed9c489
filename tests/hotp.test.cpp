// Tests of include/twofactor/hotp.hpp: RFC 4226 vectors, truncation, look-ahead verification,
// resynchronisation and the counter range's ends.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <twofactor/hotp.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "support/test_support.hpp"

namespace bdata = boost::unit_test::data;
using twofactor::errc;
using twofactor::hotp;
using twofactor::sha1;
using twofactor::sha256;
using twofactor::sha512;
using twofactor_test::bytes_of;

namespace {

using hotp_sha1_7 = hotp<sha1, 7>;
using hotp_sha1_8 = hotp<sha1, 8>;
using hotp_sha1_9 = hotp<sha1, 9>;

// RFC 4226 Appendix D: the secret is the ASCII string "12345678901234567890".
constexpr auto rfc4226_key = bytes_of("12345678901234567890");
constexpr std::uint64_t max_counter = std::numeric_limits<std::uint64_t>::max();

// RFC 4226 Appendix D, Table 1 (HMAC-SHA-1 values) and Table 2 (truncated decimal values).
struct appendix_d_row {
    std::uint64_t counter;
    const char* hmac;
    std::uint32_t truncated;
    const char* code;
};
const appendix_d_row appendix_d[] = {
    {0, "cc93cf18508d94934c64b65d8ba7667fb7cde4b0", 1284755224, "755224"},
    {1, "75a48a19d4cbe100644e8ac1397eea747a2d33ab", 1094287082, "287082"},
    {2, "0bacb7fa082fef30782211938bc1c5e70416ff44", 137359152, "359152"},
    {3, "66c28227d03a2d5529262ff016a1e6ef76557ece", 1726969429, "969429"},
    {4, "a904c900a64b35909874b33e61c5938a8e15ed1c", 1640338314, "338314"},
    {5, "a37e783d7b7233c083d4f62926c7a25f238d0316", 868254676, "254676"},
    {6, "bc9cd28561042c83f219324d3c607256c03272ae", 1918287922, "287922"},
    {7, "a4fb960c0bc06e1eabb804e5b397cdc4b45596fa", 82162583, "162583"},
    {8, "1b3c89f65e6c9e883012052823443f048b4332db", 673399871, "399871"},
    {9, "1637409809a679dc698207310c8c7fc07290d9e5", 645520489, "520489"},
};

// The error of a result, or errc{} for a value (so that a value fails a check on the error
// instead of aborting it).
template <class T>
errc error_of(const twofactor::result<T>& r) {
    return r ? errc{} : r.error();
}

std::ostream& operator<<(std::ostream& out, const appendix_d_row& row) {
    return out << "counter " << row.counter;
}

// The same vectors, checked at compile time.
constexpr hotp<sha1, 6> rfc4226_generator{rfc4226_key};
static_assert(rfc4226_generator.generate(0).view() == "755224");
static_assert(rfc4226_generator.generate(1).view() == "287082");
static_assert(rfc4226_generator.generate(2).view() == "359152");
static_assert(rfc4226_generator.generate(3).view() == "969429");
static_assert(rfc4226_generator.generate(4).view() == "338314");
static_assert(rfc4226_generator.generate(5).view() == "254676");
static_assert(rfc4226_generator.generate(6).view() == "287922");
static_assert(rfc4226_generator.generate(7).view() == "162583");
static_assert(rfc4226_generator.generate(8).view() == "399871");
static_assert(rfc4226_generator.generate(9).view() == "520489");
// 7- and 8-digit forms of counters 7 and 8.
static_assert(hotp<sha1, 7>{rfc4226_key}.generate(7).view() == "2162583");
static_assert(hotp<sha1, 8>{rfc4226_key}.generate(7).view() == "82162583");
static_assert(hotp<sha1, 7>{rfc4226_key}.generate(8).view() == "3399871");
static_assert(hotp<sha1, 8>{rfc4226_key}.generate(8).view() == "73399871");
static_assert(rfc4226_generator.verify("520489", 0, 9).value() == 9);

}  // namespace

BOOST_DATA_TEST_CASE(rfc4226_appendix_d_hmac_and_truncation, bdata::make(appendix_d), row) {
    const auto mac =
        twofactor::hmac_compute<sha1>(rfc4226_key, twofactor::detail::counter_message(row.counter));
    BOOST_TEST(twofactor_test::to_hex(mac) == row.hmac);
    BOOST_TEST(twofactor::detail::dynamic_truncate(mac) == row.truncated);
}

BOOST_DATA_TEST_CASE(rfc4226_appendix_d_codes_all_digit_counts, bdata::make(appendix_d), row) {
    BOOST_TEST(rfc4226_generator.generate(row.counter).view() == row.code);
    const auto padded = [&](unsigned digits) {
        std::uint32_t modulus = 1;
        for (unsigned i = 0; i < digits; ++i) modulus *= 10;
        std::string text = std::to_string(row.truncated % modulus);
        return std::string(digits - text.size(), '0') + text;
    };
    BOOST_TEST(hotp_sha1_7{rfc4226_key}.generate(row.counter).view() == padded(7));
    BOOST_TEST(hotp_sha1_8{rfc4226_key}.generate(row.counter).view() == padded(8));
    BOOST_TEST(hotp_sha1_9{rfc4226_key}.generate(row.counter).view() == padded(9));
}

// The branch-free truncation equals the RFC's indexed reading for every offset and size.
template <std::size_t N>
void check_truncation_against_indexing(std::mt19937_64& generator) {
    for (int round = 0; round < 2000; ++round) {
        twofactor::digest<N> mac;
        for (auto& b : mac.bytes) b = static_cast<std::byte>(generator() & 0xff);
        const unsigned offset = static_cast<unsigned>(mac[N - 1]) & 0x0f;
        const std::uint32_t expected = (static_cast<std::uint32_t>(mac[offset]) & 0x7f) << 24 |
                                       static_cast<std::uint32_t>(mac[offset + 1]) << 16 |
                                       static_cast<std::uint32_t>(mac[offset + 2]) << 8 |
                                       static_cast<std::uint32_t>(mac[offset + 3]);
        BOOST_TEST(twofactor::detail::dynamic_truncate(mac) == expected);
    }
}

BOOST_AUTO_TEST_CASE(truncation_matches_rfc_indexing_for_every_offset) {
    std::mt19937_64 generator(4226);
    check_truncation_against_indexing<20>(generator);
    check_truncation_against_indexing<32>(generator);
    check_truncation_against_indexing<64>(generator);
}

BOOST_AUTO_TEST_CASE(verify_with_look_ahead_returns_matched_counter) {
    const hotp<sha1, 6> generator{rfc4226_key};
    BOOST_TEST(generator.verify("755224", 0).value() == 0u);
    BOOST_TEST(generator.verify("969429", 0, 3).value() == 3u);
    BOOST_TEST(generator.verify("969429", 3, 0).value() == 3u);
    // One past the look-ahead, and a counter already passed, are both wrong.
    BOOST_TEST(generator.verify("969429", 0, 2).error() == errc::wrong_code);
    BOOST_TEST(generator.verify("755224", 1, 100).error() == errc::wrong_code);
    BOOST_TEST(generator.verify("000000", 0, 9).error() == errc::wrong_code);
}

BOOST_AUTO_TEST_CASE(verify_rejects_malformed_codes) {
    const hotp<sha1, 6> generator{rfc4226_key};
    for (const char* typed :
         {"", "75522", "7552240", "75522a", "+55224", " 55224", "755 24", "75522\xd9", "0x1234"})
        BOOST_TEST(generator.verify(typed, 0, 9).error() == errc::malformed_code, typed);
    // A code with a NUL inside is malformed, not truncated at the NUL.
    BOOST_TEST(generator
                   .verify(std::string_view("755\0"
                                            "224",
                                            6),
                           0)
                   .error() == errc::malformed_code);
    // Leading zeros are significant: an 8-digit code with its zero dropped is malformed.
    const hotp<sha1, 8> eight{rfc4226_key};
    BOOST_TEST(eight.generate(7).view() == "82162583");
    BOOST_TEST(hotp_sha1_9{rfc4226_key}.generate(7).view() == "082162583");
    BOOST_TEST(hotp_sha1_9{rfc4226_key}.verify("82162583", 7).error() == errc::malformed_code);
    BOOST_TEST(hotp_sha1_9{rfc4226_key}.verify("082162583", 7).value() == 7u);
}

BOOST_AUTO_TEST_CASE(verify_window_is_bounded) {
    const hotp<sha1, 6> generator{rfc4226_key};
    const auto limit = twofactor::max_verify_candidates;
    BOOST_TEST(generator.verify("755224", 0, limit).error() == errc::invalid_window);
    BOOST_TEST(generator.verify("755224", 0, max_counter).error() == errc::invalid_window);
    BOOST_TEST(generator.verify("755224", 0, limit - 1).value() == 0u);
}

BOOST_AUTO_TEST_CASE(counters_near_two_to_the_64) {
    const hotp<sha1, 6> generator{rfc4226_key};
    const auto last = generator.generate(max_counter);
    const auto before_last = generator.generate(max_counter - 1);
    // The look-ahead stops at 2^64 - 1 instead of wrapping round to counter 0.
    BOOST_TEST(generator.verify(before_last.view(), max_counter, 50).error() == errc::wrong_code);
    if (generator.generate(0) != last)
        BOOST_TEST(generator.verify("755224", max_counter, 50).error() == errc::wrong_code);
    // Resynchronisation cannot pair 2^64 - 1 with a wrapped-around 0.
    BOOST_TEST(generator.resynchronize(last.view(), "755224", max_counter, 50).error() == errc::wrong_code);
    // ... also when the look-ahead starts below it and would run past it.
    BOOST_TEST(generator.resynchronize(last.view(), "755224", max_counter - 3, 50).error() ==
               errc::wrong_code);
}

BOOST_AUTO_TEST_CASE(no_match_whose_next_counter_would_wrap) {
    // A match at counter c tells the caller to continue at c + 1 (verify) or c + 2
    // (resynchronize); where that is past 2^64 - 1 it would wrap round to 0 and make every code
    // used since acceptable again: counter_overflow instead of the match.
    const hotp<sha1, 6> generator{rfc4226_key};
    const auto last = generator.generate(max_counter);
    const auto before_last = generator.generate(max_counter - 1);
    const auto two_before_last = generator.generate(max_counter - 2);
    BOOST_TEST_REQUIRE(last != before_last);
    BOOST_TEST_REQUIRE(before_last != two_before_last);
    BOOST_TEST_REQUIRE(last != two_before_last);

    // verify: 2^64 - 1 itself, from there or through a look-ahead window that reaches it.
    BOOST_TEST(error_of(generator.verify(last.view(), max_counter)) == errc::counter_overflow);
    BOOST_TEST(error_of(generator.verify(last.view(), max_counter, 50)) == errc::counter_overflow);
    BOOST_TEST(error_of(generator.verify(last.view(), max_counter - 1, 1)) == errc::counter_overflow);
    BOOST_TEST(error_of(generator.verify(last.view(), max_counter - 3, 50)) == errc::counter_overflow);
    BOOST_TEST(error_of(generator.verify(last.view(), max_counter - 1000, 1000)) == errc::counter_overflow);
    // ... but not when the window ends before it.
    BOOST_TEST(error_of(generator.verify(last.view(), max_counter - 3, 2)) == errc::wrong_code);
    // 2^64 - 2 is the last counter that can match (its successor, 2^64 - 1, exists), also in
    // a window that reaches the end.
    BOOST_TEST(generator.verify(before_last.view(), max_counter - 1).value() == max_counter - 1);
    BOOST_TEST(generator.verify(before_last.view(), max_counter - 1, 50).value() == max_counter - 1);
    BOOST_TEST(generator.verify(before_last.view(), max_counter - 10, 50).value() == max_counter - 1);
    BOOST_TEST(generator.verify(two_before_last.view(), max_counter - 1000, 1000).value() == max_counter - 2);

    // resynchronize: a pair that ends at 2^64 - 1 leaves nothing to continue at.
    BOOST_TEST(error_of(generator.resynchronize(before_last.view(), last.view(), max_counter - 10, 50)) ==
               errc::counter_overflow);
    BOOST_TEST(error_of(generator.resynchronize(before_last.view(), last.view(), max_counter - 1, 0)) ==
               errc::counter_overflow);
    BOOST_TEST(error_of(generator.resynchronize(before_last.view(), last.view(), max_counter - 1, 10)) ==
               errc::counter_overflow);
    // The pair (2^64 - 3, 2^64 - 2) returns 2^64 - 2; the caller continues at 2^64 - 1.
    BOOST_TEST(
        generator.resynchronize(two_before_last.view(), before_last.view(), max_counter - 10, 50).value() ==
        max_counter - 1);
    BOOST_TEST(
        generator.resynchronize(two_before_last.view(), before_last.view(), max_counter - 2, 0).value() ==
        max_counter - 1);
    // No such pair at all is still wrong_code.
    BOOST_TEST(error_of(generator.resynchronize(last.view(), before_last.view(), max_counter - 10, 50)) ==
               errc::wrong_code);
}

BOOST_AUTO_TEST_CASE(resynchronize_from_two_consecutive_codes) {
    const hotp<sha1, 6> generator{rfc4226_key};
    // Codes 5 and 6 while the server expects 0: the second code's counter is 6.
    BOOST_TEST(generator.resynchronize("254676", "287922", 0, 10).value() == 6u);
    // The first pair at the end of the look-ahead is still found; one further is not.
    BOOST_TEST(generator.resynchronize("254676", "287922", 0, 5).value() == 6u);
    BOOST_TEST(generator.resynchronize("254676", "287922", 0, 4).error() == errc::wrong_code);
    // Not consecutive, or in the wrong order.
    BOOST_TEST(generator.resynchronize("254676", "162583", 0, 10).error() == errc::wrong_code);
    BOOST_TEST(generator.resynchronize("287922", "254676", 0, 10).error() == errc::wrong_code);
    BOOST_TEST(generator.resynchronize("25467", "287922", 0, 10).error() == errc::malformed_code);
    BOOST_TEST(generator.resynchronize("254676", "28792x", 0, 10).error() == errc::malformed_code);
    BOOST_TEST(generator.resynchronize("254676", "287922", 0, twofactor::max_verify_candidates).error() ==
               errc::invalid_window);
}

BOOST_AUTO_TEST_CASE(search_separates_replayed_from_accepted_counters) {
    const hotp<sha1, 6> generator{rfc4226_key};
    const auto code3 = generator.generate(3);
    auto outcome = generator.search(code3, 0, 10, 4);  // 3 is before the replay floor
    BOOST_TEST(!outcome.accepted);
    BOOST_TEST(outcome.replayed);
    outcome = generator.search(code3, 0, 10, 3);
    BOOST_TEST(outcome.accepted);
    BOOST_TEST(!outcome.replayed);
    BOOST_TEST(outcome.counter == 3u);
    outcome = generator.search(generator.generate(20), 0, 10, 0);
    BOOST_TEST(!outcome.accepted);
    BOOST_TEST(!outcome.replayed);
}

BOOST_AUTO_TEST_CASE(windowed_search_agrees_with_single_generation_for_all_hashes) {
    // The window is computed several candidates at a time; every batch size and tail must
    // agree with one-at-a-time generation.
    std::mt19937_64 random(6238);
    for (int round = 0; round < 50; ++round) {
        const auto key = twofactor_test::random_bytes(random, 1 + random() % 70);
        const hotp<sha1, 6> a{key};
        const hotp<sha256, 7> b{key};
        const hotp<sha512, 8> c{key};
        const std::uint64_t start = random() % 1000;
        const std::uint64_t look_ahead = random() % 12;
        const std::uint64_t target = start + random() % (look_ahead + 1);
        BOOST_TEST(a.verify(a.generate(target).view(), start, look_ahead).value() == target);
        BOOST_TEST(b.verify(b.generate(target).view(), start, look_ahead).value() == target);
        BOOST_TEST(c.verify(c.generate(target).view(), start, look_ahead).value() == target);
    }
}

BOOST_AUTO_TEST_CASE(keys_of_any_length_and_content) {
    // Keys are byte ranges, not C strings: a leading NUL changes the code. HMAC pads a short
    // key with zero bytes (RFC 2104 §2), so the empty key and 20 zero bytes are the same key;
    // a key longer than a block is hashed first.
    const std::array<std::byte, 0> empty{};
    const std::array<std::byte, 20> zeros{};
    auto leading_zero = rfc4226_key;
    leading_zero[0] = std::byte{0};
    const hotp<sha1, 6> from_empty{empty};
    const hotp<sha1, 6> from_zeros{zeros};
    const hotp<sha1, 6> from_leading_zero{leading_zero};
    BOOST_TEST(from_empty.generate(0) == from_zeros.generate(0));
    BOOST_TEST(from_leading_zero.generate(0) != rfc4226_generator.generate(0));
    std::vector<std::byte> long_key(200, std::byte{0x5a});
    const hotp<sha1, 6> from_long{long_key};
    const auto hashed = twofactor::hash<sha1>(long_key);
    const hotp<sha1, 6> from_hashed{hashed};
    BOOST_TEST(from_long.generate(42) == from_hashed.generate(42));
}
