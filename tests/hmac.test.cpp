// Tests for twofactor/hmac.hpp: RFC 2104 HMAC with the RFC 2202 (HMAC-SHA-1) and RFC 4231 (HMAC-SHA-256,
// HMAC-SHA-512) test vectors, random keys and messages against OpenSSL's HMAC(), compute_lanes on the
// portable and SHA-NI paths, streaming, and the number of compressions the precomputed pads leave.
#include <boost/test/unit_test.hpp>

#include <twofactor/hmac.hpp>

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "support/test_support.hpp"

using namespace twofactor;
using twofactor_test::bytes_of;
using twofactor_test::random_bytes;
using twofactor_test::to_hex;

namespace {

// ---- helpers ---------------------------------------------------------------------------------

// `N` copies of `value`.
template <std::size_t N>
constexpr std::array<std::byte, N> repeated(std::uint8_t value) {
    std::array<std::byte, N> result{};
    result.fill(std::byte{value});
    return result;
}

// The bytes 0x01, 0x02, ..., N.
template <std::size_t N>
constexpr std::array<std::byte, N> counting_bytes() {
    std::array<std::byte, N> result{};
    for (std::size_t i = 0; i < N; ++i) {
        result[i] = static_cast<std::byte>(i + 1);
    }
    return result;
}

constexpr int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// True when the first (N - 1) / 2 bytes of `mac` are the lower-case hex literal (so truncated
// vectors compare a prefix). Usable in constant expressions.
template <std::size_t Size, std::size_t N>
constexpr bool starts_with_hex(const digest<Size>& mac, const char (&hex)[N]) {
    static_assert((N - 1) / 2 <= Size);
    for (std::size_t i = 0; i < (N - 1) / 2; ++i) {
        if (mac[i] != static_cast<std::byte>(hex_value(hex[2 * i]) * 16 + hex_value(hex[2 * i + 1]))) {
            return false;
        }
    }
    return true;
}

// The first `hex_length / 2` bytes of a MAC as hex (RFC 2202 case 5 and RFC 4231 case 5 are truncated).
template <std::size_t Size>
std::string hex_prefix(const digest<Size>& mac, std::size_t hex_length) {
    return to_hex(std::span(mac.bytes).first(hex_length / 2));
}

// HMAC exactly as RFC 2104 §2 writes it, H(K ^ opad, H(K ^ ipad, text)), through nothing but H's
// streaming interface: the reference for the precomputed-state and single-block shortcuts.
template <class H>
std::string textbook_hmac_hex(std::span<const std::byte> key, std::span<const std::byte> text) {
    std::vector<std::byte> k(key.begin(), key.end());
    if (k.size() > H::block_size) {
        const auto hashed = hash<H>(key);
        k.assign(hashed.begin(), hashed.end());
    }
    k.resize(H::block_size);
    std::vector<std::byte> ipad(H::block_size), opad(H::block_size);
    for (std::size_t i = 0; i < H::block_size; ++i) {
        ipad[i] = k[i] ^ std::byte{0x36};
        opad[i] = k[i] ^ std::byte{0x5c};
    }
    H inner;
    inner.update(ipad);
    inner.update(text);
    const auto inner_digest = inner.finalize();
    H outer;
    outer.update(opad);
    outer.update(inner_digest.bytes);
    return to_hex(outer.finalize());
}

// The independent reference MAC: OpenSSL's one-shot HMAC() when the tests are built with OpenSSL,
// otherwise the textbook construction above.
template <class H>
std::string reference_hmac_hex(std::span<const std::byte> key, std::span<const std::byte> message) {
#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
    const EVP_MD* md = H::name == "SHA1" ? EVP_sha1() : H::name == "SHA256" ? EVP_sha256() : EVP_sha512();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    static const unsigned char empty = 0;  // HMAC() wants a non-null key pointer even for length 0
    const auto* key_data = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
    BOOST_REQUIRE(HMAC(md, key_data, static_cast<int>(key.size()),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out,
                       &length) != nullptr);
    return to_hex(std::as_bytes(std::span(out, length)));
#else
    return textbook_hmac_hex<H>(key, message);
#endif
}

// Models with a forced compression path, built exactly like the public ones.
struct portable_sha1
    : detail::block_hash_base<portable_sha1, detail::sha1_traits<detail::sha_path::portable>> {};
struct portable_sha256
    : detail::block_hash_base<portable_sha256, detail::sha256_traits<detail::sha_path::portable>> {};
struct sha_ni_sha1 : detail::block_hash_base<sha_ni_sha1, detail::sha1_traits<detail::sha_path::sha_ni>> {};
struct sha_ni_sha256
    : detail::block_hash_base<sha_ni_sha256, detail::sha256_traits<detail::sha_path::sha_ni>> {};

template <class H>
constexpr bool needs_sha_ni = std::is_same_v<H, sha_ni_sha1> || std::is_same_v<H, sha_ni_sha256>;

// Counts the blocks compressed by the block interface (all paths: compress, compress_blocks,
// compress_lanes, and the streaming update/finalize, which go through compress_blocks).
std::size_t compressed_blocks = 0;

struct counting_sha1_traits : detail::sha1_traits<> {
    static void compress_blocks(state_type& state, const std::byte* blocks, std::size_t count) noexcept {
        compressed_blocks += count;
        detail::sha1_traits<>::compress_blocks(state, blocks, count);
    }
    template <std::size_t Lanes>
    static void compress_lanes(std::array<state_type, Lanes>& states,
                               const std::array<std::array<std::byte, block_size>, Lanes>& blocks) noexcept {
        compressed_blocks += Lanes;
        detail::sha1_traits<>::compress_lanes(states, blocks);
    }
};

/// A test model of block_hash_function: SHA-1 that counts its compressions.
struct counting_sha1 : detail::block_hash_base<counting_sha1, counting_sha1_traits> {};
static_assert(block_hash_function<counting_sha1>);

using builtin_models = std::tuple<sha1, sha256, sha512>;

// ---- RFC 2202 §3 / RFC 4231 §4 inputs ---------------------------------------------------------
constexpr auto key_0b20 = repeated<20>(0x0b);
constexpr auto key_jefe = bytes_of("Jefe");
constexpr auto key_aa20 = repeated<20>(0xaa);
constexpr auto key_0125 = counting_bytes<25>();
constexpr auto key_0c20 = repeated<20>(0x0c);
constexpr auto key_aa80 = repeated<80>(0xaa);
constexpr auto key_aa131 = repeated<131>(0xaa);
constexpr auto data_hi_there = bytes_of("Hi There");
constexpr auto data_jefe = bytes_of("what do ya want for nothing?");
constexpr auto data_dd50 = repeated<50>(0xdd);
constexpr auto data_cd50 = repeated<50>(0xcd);
constexpr auto data_truncation = bytes_of("Test With Truncation");
constexpr auto data_large_key_2202 = bytes_of("Test Using Larger Than Block-Size Key - Hash Key First");
constexpr auto data_large_both_2202 =
    bytes_of("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data");
constexpr auto data_large_both_4231 = bytes_of(
    "This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
    "be hashed before being used by the HMAC algorithm.");

}  // namespace

// ---- RFC 2202 §3: HMAC-SHA-1 -----------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(rfc2202_hmac_sha1)

// RFC 2202 §3 test case 1.
BOOST_AUTO_TEST_CASE(case_1) {
    static_assert(starts_with_hex(hmac_compute<sha1>(key_0b20, data_hi_there),
                                  "b617318655057264e28bc0b6fb378c8ef146be00"));
    BOOST_TEST(to_hex(hmac_compute<sha1>(key_0b20, data_hi_there)) ==
               "b617318655057264e28bc0b6fb378c8ef146be00");
}
// RFC 2202 §3 test case 2.
BOOST_AUTO_TEST_CASE(case_2) {
    static_assert(
        starts_with_hex(hmac_compute<sha1>(key_jefe, data_jefe), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    BOOST_TEST(to_hex(hmac_compute<sha1>(key_jefe, data_jefe)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}
// RFC 2202 §3 test case 3.
BOOST_AUTO_TEST_CASE(case_3) {
    BOOST_TEST(to_hex(hmac_compute<sha1>(key_aa20, data_dd50)) == "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
}
// RFC 2202 §3 test case 4.
BOOST_AUTO_TEST_CASE(case_4) {
    BOOST_TEST(to_hex(hmac_compute<sha1>(key_0125, data_cd50)) == "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
}
// RFC 2202 §3 test case 5, full and truncated to 96 bits.
BOOST_AUTO_TEST_CASE(case_5) {
    const auto mac = hmac_compute<sha1>(key_0c20, data_truncation);
    BOOST_TEST(to_hex(mac) == "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
    BOOST_TEST(hex_prefix(mac, 24) == "4c1a03424b55e07fe7f27be1");
}
// RFC 2202 §3 test case 6: 80-byte key, longer than the block, is hashed first.
BOOST_AUTO_TEST_CASE(case_6) {
    static_assert(starts_with_hex(hmac_compute<sha1>(key_aa80, data_large_key_2202),
                                  "aa4ae5e15272d00e95705637ce8a3b55ed402112"));
    BOOST_TEST(to_hex(hmac_compute<sha1>(key_aa80, data_large_key_2202)) ==
               "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}
// RFC 2202 §3 test case 7: 80-byte key and 73-byte data (more than one block).
BOOST_AUTO_TEST_CASE(case_7) {
    BOOST_TEST(to_hex(hmac_compute<sha1>(key_aa80, data_large_both_2202)) ==
               "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- RFC 4231 §4.2-4.8: HMAC-SHA-256 and HMAC-SHA-512 ------------------------------------------

BOOST_AUTO_TEST_SUITE(rfc4231)

// RFC 4231 §4.2 test case 1.
BOOST_AUTO_TEST_CASE(case_1) {
    static_assert(starts_with_hex(hmac_compute<sha256>(key_0b20, data_hi_there),
                                  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    BOOST_TEST(to_hex(hmac_compute<sha256>(key_0b20, data_hi_there)) ==
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    BOOST_TEST(to_hex(hmac_compute<sha512>(key_0b20, data_hi_there)) ==
               "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
               "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
}
// RFC 4231 §4.3 test case 2 (key shorter than the MAC).
BOOST_AUTO_TEST_CASE(case_2) {
    static_assert(starts_with_hex(hmac_compute<sha512>(key_jefe, data_jefe),
                                  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                                  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"));
    BOOST_TEST(to_hex(hmac_compute<sha256>(key_jefe, data_jefe)) ==
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    BOOST_TEST(to_hex(hmac_compute<sha512>(key_jefe, data_jefe)) ==
               "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
               "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}
// RFC 4231 §4.4 test case 3 (50 bytes of 0xdd).
BOOST_AUTO_TEST_CASE(case_3) {
    BOOST_TEST(to_hex(hmac_compute<sha256>(key_aa20, data_dd50)) ==
               "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    BOOST_TEST(to_hex(hmac_compute<sha512>(key_aa20, data_dd50)) ==
               "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
               "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb");
}
// RFC 4231 §4.5 test case 4 (25-byte key 0x01..0x19, 50 bytes of 0xcd).
BOOST_AUTO_TEST_CASE(case_4) {
    BOOST_TEST(to_hex(hmac_compute<sha256>(key_0125, data_cd50)) ==
               "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    BOOST_TEST(to_hex(hmac_compute<sha512>(key_0125, data_cd50)) ==
               "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
               "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd");
}
// RFC 4231 §4.6 test case 5, truncated to 128 bits.
BOOST_AUTO_TEST_CASE(case_5) {
    BOOST_TEST(hex_prefix(hmac_compute<sha256>(key_0c20, data_truncation), 32) ==
               "a3b6167473100ee06e0c796c2955552b");
    BOOST_TEST(hex_prefix(hmac_compute<sha512>(key_0c20, data_truncation), 32) ==
               "415fad6271580a531d4179bc891d87a6");
}
// RFC 4231 §4.7 test case 6: 131-byte key, longer than both block sizes, is hashed first.
BOOST_AUTO_TEST_CASE(case_6) {
    static_assert(starts_with_hex(hmac_compute<sha256>(key_aa131, data_large_key_2202),
                                  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    BOOST_TEST(to_hex(hmac_compute<sha256>(key_aa131, data_large_key_2202)) ==
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    BOOST_TEST(to_hex(hmac_compute<sha512>(key_aa131, data_large_key_2202)) ==
               "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
               "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}
// RFC 4231 §4.8 test case 7: 131-byte key and 152-byte data.
BOOST_AUTO_TEST_CASE(case_7) {
    BOOST_TEST(to_hex(hmac_compute<sha256>(key_aa131, data_large_both_4231)) ==
               "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    BOOST_TEST(to_hex(hmac_compute<sha512>(key_aa131, data_large_both_4231)) ==
               "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
               "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- against OpenSSL and the textbook construction --------------------------------------------

BOOST_AUTO_TEST_SUITE(against_reference)

// 10,000 random keys of 0..300 bytes (shorter, equal to and longer than the block) with random
// messages of 0..300 bytes, for each hash: compute() and the one-shot equal OpenSSL's HMAC() and the
// textbook RFC 2104 construction.
BOOST_AUTO_TEST_CASE_TEMPLATE(random_keys_and_messages, H, builtin_models) {
    std::mt19937_64 rng(2104);
    for (int i = 0; i < 10'000; ++i) {
        const auto key = random_bytes(rng, rng() % 301);
        const auto message = random_bytes(rng, rng() % 301);
        const std::string expected = reference_hmac_hex<H>(key, message);
        const hmac<H> mac(key);
        BOOST_TEST(to_hex(mac.compute(message)) == expected);
        BOOST_TEST(textbook_hmac_hex<H>(key, message) == expected);
        if (i % 10 == 0) {
            BOOST_TEST(to_hex(hmac_compute<H>(key, message)) == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(empty_and_default_key, H, builtin_models) {
    const auto message = bytes_of("message");
    const std::string expected = reference_hmac_hex<H>({}, message);
    BOOST_TEST(to_hex(hmac<H>().compute(message)) == expected);
    BOOST_TEST(to_hex(hmac<H>(std::span<const std::byte>{}).compute(message)) == expected);
    // A key of exactly one block is used as is; one byte more is hashed.
    const auto block_key = repeated<H::block_size>(0x42);
    const auto long_key = repeated<H::block_size + 1>(0x42);
    BOOST_TEST(to_hex(hmac<H>(block_key).compute(message)) == reference_hmac_hex<H>(block_key, message));
    BOOST_TEST(to_hex(hmac<H>(long_key).compute(message)) == reference_hmac_hex<H>(long_key, message));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- streaming, copies, lanes ------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(interfaces)

// update()/finalize() in random pieces equals compute(); finalize() leaves the object ready for the
// next message; compute() is unaffected by a pending stream.
BOOST_AUTO_TEST_CASE_TEMPLATE(streaming_equals_compute, H, builtin_models) {
    std::mt19937_64 rng(4231);
    for (int i = 0; i < 500; ++i) {
        const auto key = random_bytes(rng, rng() % 200);
        const auto message = random_bytes(rng, rng() % 400);
        hmac<H> mac(key);
        std::size_t done = 0;
        while (done < message.size()) {
            const std::size_t n = std::min<std::size_t>(rng() % 150, message.size() - done);
            mac.update(std::span(message).subspan(done, n));
            done += n;
            if (n == 0) {
                BOOST_TEST(to_hex(mac.compute(message)) == to_hex(hmac<H>(key).compute(message)));
            }
        }
        BOOST_TEST(to_hex(mac.finalize()) == to_hex(mac.compute(message)));
        mac.update(message);
        BOOST_TEST(to_hex(mac.finalize()) == to_hex(mac.compute(message)));
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(copies_are_independent, H, builtin_models) {
    const auto message = bytes_of("counter!");
    hmac<H> a(key_jefe);
    a.update(std::span(message).first(3));
    hmac<H> b = a;
    b.update(std::span(message).subspan(3));
    a.update(std::span(message).subspan(3));
    BOOST_TEST(to_hex(a.finalize()) == to_hex(b.finalize()));
    hmac<H> c;
    c = a;
    BOOST_TEST(to_hex(c.compute(message)) == reference_hmac_hex<H>(key_jefe, message));
}

// compute_lanes(messages)[l] == compute(messages[l]) for 1..4 lanes, for several message sizes up to
// the largest that fits one block, on every compression path.
template <class H, std::size_t Lanes, std::size_t MessageSize>
void check_compute_lanes(std::mt19937_64& rng) {
    const auto key = random_bytes(rng, rng() % 150);
    const hmac<H> mac(key);
    std::array<std::array<std::byte, MessageSize>, Lanes> messages{};
    for (auto& message : messages) {
        for (auto& b : message) {
            b = static_cast<std::byte>(rng());
        }
    }
    const auto macs = mac.compute_lanes(messages);
    for (std::size_t l = 0; l < Lanes; ++l) {
        BOOST_TEST(to_hex(macs[l]) == to_hex(mac.compute(messages[l])), "lane " << l << " of " << Lanes);
        BOOST_TEST(to_hex(macs[l]) == reference_hmac_hex<H>(key, messages[l]));
    }
}

template <class H, std::size_t MessageSize>
void check_compute_lanes_1_to_4(std::mt19937_64& rng) {
    check_compute_lanes<H, 1, MessageSize>(rng);
    check_compute_lanes<H, 2, MessageSize>(rng);
    check_compute_lanes<H, 3, MessageSize>(rng);
    check_compute_lanes<H, 4, MessageSize>(rng);
}

using lane_models =
    std::tuple<sha1, sha256, sha512, portable_sha1, portable_sha256, sha_ni_sha1, sha_ni_sha256>;

BOOST_AUTO_TEST_CASE_TEMPLATE(compute_lanes_equals_compute, H, lane_models) {
    if (needs_sha_ni<H> && !detail::cpu_has_sha_ni()) {
        BOOST_TEST_MESSAGE("CPU without SHA-NI: skipped");
        return;
    }
    constexpr std::size_t largest = H::block_size - 1 - H::length_size;  // 55 or 111
    std::mt19937_64 rng(4226);
    for (int i = 0; i < 20; ++i) {
        check_compute_lanes_1_to_4<H, 0>(rng);
        check_compute_lanes_1_to_4<H, 1>(rng);
        check_compute_lanes_1_to_4<H, 8>(rng);  // the HOTP/TOTP counter
        check_compute_lanes_1_to_4<H, H::digest_size>(rng);
        check_compute_lanes_1_to_4<H, H::digest_size + 3>(rng);  // longer than the inner digest
        check_compute_lanes_1_to_4<H, largest>(rng);
    }
}

// compute_lanes only accepts messages that fit one block with their padding.
template <class H, std::size_t Lanes, std::size_t MessageSize>
concept lanes_accepted = requires(const hmac<H>& mac,
                                  const std::array<std::array<std::byte, MessageSize>, Lanes>& messages) {
    mac.compute_lanes(messages);
};

BOOST_AUTO_TEST_CASE(compute_lanes_constraints) {
    static_assert(lanes_accepted<sha1, 3, 8>);
    static_assert(lanes_accepted<sha1, 4, 55>);
    static_assert(!lanes_accepted<sha1, 1, 56>);
    static_assert(!lanes_accepted<sha256, 2, 56>);
    static_assert(lanes_accepted<sha512, 3, 111>);
    static_assert(!lanes_accepted<sha512, 3, 112>);
    static_assert(!lanes_accepted<sha1, 0, 8>);
    BOOST_TEST(true);
}

// compute_lanes is constexpr too.
BOOST_AUTO_TEST_CASE(compute_lanes_in_constant_evaluation) {
    constexpr std::array<std::array<std::byte, 8>, 2> messages{bytes_of("Hi There"), bytes_of("Hi There")};
    static_assert(starts_with_hex(hmac<sha1>(key_0b20).compute_lanes(messages)[1],
                                  "b617318655057264e28bc0b6fb378c8ef146be00"));
    BOOST_TEST(to_hex(hmac<sha1>(key_0b20).compute_lanes(messages)[0]) ==
               "b617318655057264e28bc0b6fb378c8ef146be00");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- cost model ----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(compression_count)

BOOST_AUTO_TEST_CASE(precomputed_pads) {
    const auto counter = repeated<8>(0x01);

    compressed_blocks = 0;
    const hmac<counting_sha1> mac(key_0b20);
    BOOST_TEST(compressed_blocks == 2u);  // key^ipad and key^opad, once

    compressed_blocks = 0;
    const auto tag = mac.compute(counter);
    BOOST_TEST(compressed_blocks == 2u);  // inner block with padding, outer block
    BOOST_TEST(to_hex(tag) == reference_hmac_hex<sha1>(key_0b20, counter));

    compressed_blocks = 0;
    (void)mac.compute(repeated<55>(0x01));
    BOOST_TEST(compressed_blocks == 2u);  // 55 bytes + 0x80 + 8-byte length still fit one block
    compressed_blocks = 0;
    (void)mac.compute(repeated<56>(0x01));
    BOOST_TEST(compressed_blocks == 3u);  // the length field spills into a second inner block
    compressed_blocks = 0;
    (void)mac.compute(repeated<64>(0x01));
    BOOST_TEST(compressed_blocks == 3u);

    compressed_blocks = 0;
    const std::array<std::array<std::byte, 8>, 3> window{counter, counter, counter};
    (void)mac.compute_lanes(window);
    BOOST_TEST(compressed_blocks == 6u);

    compressed_blocks = 0;
    const hmac<counting_sha1> long_key_mac(key_aa80);
    BOOST_TEST(compressed_blocks == 4u);  // hashing the 80-byte key takes two blocks, then the pads
}

BOOST_AUTO_TEST_SUITE_END()
