// Tests for twofactor/hash.hpp: SHA-1, SHA-256, SHA-512 (FIPS 180-4), digest<N>, the hash_function and
// block_hash_function concepts, the SHA-NI fast path against the portable code and against OpenSSL,
// and the byte helpers of detail/bytes.hpp they are built on.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <twofactor/hash.hpp>

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
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

constexpr int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// A digest from a lower-case hex literal, usable in constant expressions.
template <std::size_t N>
constexpr digest<(N - 1) / 2> digest_from_hex(const char (&hex)[N]) {
    digest<(N - 1) / 2> result{};
    for (std::size_t i = 0; i < result.size(); ++i) {
        result[i] = static_cast<std::byte>(hex_value(hex[2 * i]) * 16 + hex_value(hex[2 * i + 1]));
    }
    return result;
}

template <class H>
std::string hex_of(std::span<const std::byte> message) {
    return to_hex(hash<H>(message));
}

// Models with a forced compression path, built exactly like the public ones.
struct portable_sha1
    : detail::block_hash_base<portable_sha1, detail::sha1_traits<detail::sha_path::portable>> {};
struct portable_sha256
    : detail::block_hash_base<portable_sha256, detail::sha256_traits<detail::sha_path::portable>> {};
struct sha_ni_sha1 : detail::block_hash_base<sha_ni_sha1, detail::sha1_traits<detail::sha_path::sha_ni>> {};
struct sha_ni_sha256
    : detail::block_hash_base<sha_ni_sha256, detail::sha256_traits<detail::sha_path::sha_ni>> {};

using builtin_models = std::tuple<sha1, sha256, sha512>;

// The portable model computing the same function as H.
template <class H>
using portable_reference =
    std::conditional_t<H::name == "SHA1", portable_sha1,
                       std::conditional_t<H::name == "SHA256", portable_sha256, sha512>>;

// The independent reference digest: OpenSSL's one-shot EVP_Digest when the tests are built with
// OpenSSL, otherwise the portable code's (which still checks the SHA-NI path against it).
template <class H>
std::string reference_hex(std::span<const std::byte> message) {
#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
    const EVP_MD* md = H::name == "SHA1" ? EVP_sha1() : H::name == "SHA256" ? EVP_sha256() : EVP_sha512();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    BOOST_REQUIRE(EVP_Digest(message.data(), message.size(), out, &length, md, nullptr) == 1);
    return to_hex(std::as_bytes(std::span(out, length)));
#else
    return hex_of<portable_reference<H>>(message);
#endif
}

}  // namespace

// Checks one FIPS 180-4 example both in constant evaluation and at run time (like Boost.Hash2's sha1_cx
// test).
#define CHECK_VECTOR(Hash, message, expected_hex)                                  \
    static_assert(hash<Hash>(bytes_of(message)) == digest_from_hex(expected_hex)); \
    BOOST_TEST(to_hex(hash<Hash>(bytes_of(message))) == std::string_view(expected_hex))

// The messages of the FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values", and
// FIPS 180-2 Appendices A-C for the 448-bit, 896-bit and one-million-'a' messages).
#define MESSAGE_448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MESSAGE_896                                                                                    \
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs" \
    "mnopqrstnopqrstu"

BOOST_AUTO_TEST_SUITE(fips_180_4_vectors)

// FIPS 180-4 SHA-1 example "abc" (FIPS 180-2 Appendix A.1).
BOOST_AUTO_TEST_CASE(sha1_abc) { CHECK_VECTOR(sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"); }
// SHA-1 of the empty message (NIST CSRC examples).
BOOST_AUTO_TEST_CASE(sha1_empty) { CHECK_VECTOR(sha1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"); }
// FIPS 180-4 SHA-1 two-block example, 448 bits (FIPS 180-2 Appendix A.2).
BOOST_AUTO_TEST_CASE(sha1_448_bits) {
    CHECK_VECTOR(sha1, MESSAGE_448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}
// SHA-1 of the 896-bit message (NIST CSRC examples).
BOOST_AUTO_TEST_CASE(sha1_896_bits) {
    CHECK_VECTOR(sha1, MESSAGE_896, "a49b2446a02c645bf419f995b67091253a04a259");
}

// FIPS 180-4 SHA-256 example "abc" (FIPS 180-2 Appendix B.1).
BOOST_AUTO_TEST_CASE(sha256_abc) {
    CHECK_VECTOR(sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
// SHA-256 of the empty message (NIST CSRC examples).
BOOST_AUTO_TEST_CASE(sha256_empty) {
    CHECK_VECTOR(sha256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
// FIPS 180-4 SHA-256 two-block example, 448 bits (FIPS 180-2 Appendix B.2).
BOOST_AUTO_TEST_CASE(sha256_448_bits) {
    CHECK_VECTOR(sha256, MESSAGE_448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
// SHA-256 of the 896-bit message (NIST CSRC examples).
BOOST_AUTO_TEST_CASE(sha256_896_bits) {
    CHECK_VECTOR(sha256, MESSAGE_896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

// FIPS 180-4 SHA-512 example "abc" (FIPS 180-2 Appendix C.1).
BOOST_AUTO_TEST_CASE(sha512_abc) {
    CHECK_VECTOR(sha512, "abc",
                 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}
// SHA-512 of the empty message (NIST CSRC examples).
BOOST_AUTO_TEST_CASE(sha512_empty) {
    CHECK_VECTOR(sha512, "",
                 "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                 "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}
// SHA-512 of the 448-bit message (NIST CSRC examples).
BOOST_AUTO_TEST_CASE(sha512_448_bits) {
    CHECK_VECTOR(sha512, MESSAGE_448,
                 "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
                 "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
}
// FIPS 180-4 SHA-512 two-block example, 896 bits (FIPS 180-2 Appendix C.2).
BOOST_AUTO_TEST_CASE(sha512_896_bits) {
    CHECK_VECTOR(sha512, MESSAGE_896,
                 "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                 "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

// One million 'a' (FIPS 180-2 Appendices A.3, B.3, C.3), streamed in uneven chunks that cross
// block boundaries in every possible way.
template <class H>
std::string million_a_streamed() {
    static const std::vector<std::byte> chunk_source(1000, std::byte{'a'});
    static constexpr std::size_t chunk_sizes[] = {1, 7, 63, 64, 65, 127, 128, 129, 0, 1000, 3, 333};
    H h;
    std::size_t remaining = 1'000'000;
    for (std::size_t i = 0; remaining != 0; ++i) {
        const std::size_t n = std::min(chunk_sizes[i % std::size(chunk_sizes)], remaining);
        h.update(std::span(chunk_source).first(n));
        remaining -= n;
    }
    return to_hex(h.finalize());
}

BOOST_AUTO_TEST_CASE(sha1_million_a) {
    BOOST_TEST(million_a_streamed<sha1>() == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}
BOOST_AUTO_TEST_CASE(sha256_million_a) {
    BOOST_TEST(million_a_streamed<sha256>() ==
               "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
BOOST_AUTO_TEST_CASE(sha512_million_a) {
    BOOST_TEST(million_a_streamed<sha512>() ==
               "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
               "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(streaming)

// update() split at every position of a ~200-byte message gives the one-shot digest.
BOOST_AUTO_TEST_CASE_TEMPLATE(split_at_every_position, H, builtin_models) {
    std::mt19937_64 rng(180);
    const auto message = random_bytes(rng, 203);
    const auto expected = hash<H>(message);
    for (std::size_t split = 0; split <= message.size(); ++split) {
        H h;
        h.update(std::span(message).first(split));
        h.update(std::span(message).subspan(split));
        BOOST_TEST(to_hex(h.finalize()) == to_hex(expected), "split at " << split);
    }
    H bytewise;
    for (std::byte b : message) {
        bytewise.update(std::span(&b, 1));
    }
    BOOST_TEST(to_hex(bytewise.finalize()) == to_hex(expected));
}

// A copy taken mid-stream continues independently; re-assignment after finalize() restarts.
BOOST_AUTO_TEST_CASE_TEMPLATE(copy_and_reassign, H, builtin_models) {
    const auto abc = bytes_of("abc");
    H h;
    h.update(std::span(abc).first(1));
    H copy = h;
    h.update(std::span(abc).subspan(1));
    copy.update(std::span(abc).subspan(1, 1));
    BOOST_TEST(to_hex(h.finalize()) == hex_of<H>(abc));
    BOOST_TEST(to_hex(copy.finalize()) == hex_of<H>(std::span(abc).first(2)));
    h = H{};
    h.update(abc);
    BOOST_TEST(to_hex(h.finalize()) == hex_of<H>(abc));
}

// resume() continues from a state after whole blocks, as the block interface documents.
BOOST_AUTO_TEST_CASE_TEMPLATE(resume_from_state, H, builtin_models) {
    std::mt19937_64 rng(5);
    const auto message = random_bytes(rng, 3 * H::block_size + 17);
    typename H::state_type state = H::initial_state;
    H::compress_blocks(state, message.data(), 2);
    H resumed = H::resume(state, 2);
    resumed.update(std::span(message).subspan(2 * H::block_size));
    BOOST_TEST(to_hex(resumed.finalize()) == hex_of<H>(message));
}

BOOST_AUTO_TEST_SUITE_END()

// Message lengths around the padding boundaries (FIPS 180-4 §5.1.1 / §5.1.2): where the length field
// still fits (55 / 111), where it just does not (56 / 112), and whole blocks, compared with OpenSSL.
BOOST_DATA_TEST_CASE(padding_boundaries,
                     boost::unit_test::data::make({0,   1,   55,  56,  57,  63,  64,  65,
                                                   111, 112, 113, 119, 120, 127, 128, 129,
                                                   183, 184, 191, 192, 239, 240, 255, 256}),
                     length) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(length));
    const auto message = random_bytes(rng, static_cast<std::size_t>(length));
    BOOST_TEST(hex_of<sha1>(message) == reference_hex<sha1>(message));
    BOOST_TEST(hex_of<sha256>(message) == reference_hex<sha256>(message));
    BOOST_TEST(hex_of<sha512>(message) == reference_hex<sha512>(message));
}

BOOST_AUTO_TEST_SUITE(hardware_path)

// CPUID detection agrees with the kernel's view of the CPU (Linux /proc/cpuinfo), where available.
BOOST_AUTO_TEST_CASE(detection_matches_proc_cpuinfo) {
    BOOST_TEST_MESSAGE("SHA-NI available: " << (detail::cpu_has_sha_ni() ? "yes" : "no"));
#if defined(__linux__) && (defined(__x86_64__) || defined(_M_X64))
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("flags", 0) == 0) {
            const auto has = [&](const char* flag) {
                return (line + ' ').find(std::string(" ") + flag + ' ') != std::string::npos;
            };
            BOOST_TEST(detail::cpu_has_sha_ni() == (has("sha_ni") && has("sse4_1") && has("ssse3")));
            return;
        }
    }
    BOOST_TEST_MESSAGE("/proc/cpuinfo has no flags line: not cross-checked");
#endif
    BOOST_TEST(true);
}

// The SHA-NI and portable paths agree with each other and with OpenSSL on 10,000 random messages of
// 0..300 bytes (fixed seed), through the public streaming interface.
BOOST_AUTO_TEST_CASE(sha_ni_portable_openssl_agree_on_random_messages) {
    std::mt19937_64 rng(20240601);
    const bool sha_ni = detail::cpu_has_sha_ni();
    if (!sha_ni) {
        BOOST_TEST_MESSAGE("CPU without SHA-NI: comparing the portable path with OpenSSL only");
    }
    for (int i = 0; i < 10'000; ++i) {
        const auto message = random_bytes(rng, rng() % 301);
        const std::string reference1 = reference_hex<sha1>(message);
        const std::string reference256 = reference_hex<sha256>(message);
        BOOST_TEST(hex_of<portable_sha1>(message) == reference1);
        BOOST_TEST(hex_of<portable_sha256>(message) == reference256);
        BOOST_TEST(hex_of<sha1>(message) == reference1);
        BOOST_TEST(hex_of<sha256>(message) == reference256);
        BOOST_TEST(hex_of<sha512>(message) == reference_hex<sha512>(message));
        if (sha_ni) {
            BOOST_TEST(hex_of<sha_ni_sha1>(message) == reference1);
            BOOST_TEST(hex_of<sha_ni_sha256>(message) == reference256);
        }
    }
}

template <class State>
State random_state(std::mt19937_64& rng) {
    State state{};
    for (auto& word : state) {
        word = static_cast<typename State::value_type>(rng());
    }
    return state;
}

// The raw compression functions agree from random chaining values over 1..4 blocks.
BOOST_AUTO_TEST_CASE(compression_functions_agree) {
#if defined(__x86_64__) || defined(_M_X64)
    if (!detail::cpu_has_sha_ni()) {
        BOOST_TEST_MESSAGE("CPU without SHA-NI: skipped");
        return;
    }
    std::mt19937_64 rng(7);
    for (int i = 0; i < 2'000; ++i) {
        const std::size_t blocks = 1 + rng() % 4;
        const auto data = random_bytes(rng, 64 * blocks);
        auto portable1 = random_state<detail::sha1_state>(rng);
        auto hardware1 = portable1;
        detail::sha1_compress_portable(portable1, data.data(), blocks);
        detail::sha1_compress_sha_ni(hardware1, data.data(), blocks);
        BOOST_TEST(portable1 == hardware1);
        auto portable256 = random_state<detail::sha256_state>(rng);
        auto hardware256 = portable256;
        detail::sha256_compress_portable(portable256, data.data(), blocks);
        detail::sha256_compress_sha_ni(hardware256, data.data(), blocks);
        BOOST_TEST(portable256 == hardware256);
    }
#else
    BOOST_TEST_MESSAGE("not x86-64: no SHA-NI code compiled");
#endif
}

// The interleaved multi-lane kernels equal one portable compression per lane, for 1..5 lanes.
template <class H, std::size_t Lanes>
void check_lanes(std::mt19937_64& rng) {
    std::array<typename H::state_type, Lanes> states{};
    std::array<typename H::block_type, Lanes> blocks{};
    for (std::size_t l = 0; l < Lanes; ++l) {
        states[l] = random_state<typename H::state_type>(rng);
        for (auto& b : blocks[l]) {
            b = static_cast<std::byte>(rng());
        }
    }
    auto expected = states;
    for (std::size_t l = 0; l < Lanes; ++l) {
        portable_reference<H>::compress(expected[l], blocks[l].data());
    }
    H::compress_lanes(states, blocks);
    BOOST_TEST((states == expected), "lanes " << Lanes);
}

using lane_models =
    std::tuple<portable_sha1, portable_sha256, sha1, sha256, sha512, sha_ni_sha1, sha_ni_sha256>;

BOOST_AUTO_TEST_CASE_TEMPLATE(compress_lanes_equals_compress, H, lane_models) {
    if ((std::is_same_v<H, sha_ni_sha1> || std::is_same_v<H, sha_ni_sha256>)&&!detail::cpu_has_sha_ni()) {
        BOOST_TEST_MESSAGE("CPU without SHA-NI: skipped");
        return;
    }
    std::mt19937_64 rng(11);
    for (int i = 0; i < 200; ++i) {
        check_lanes<H, 1>(rng);
        check_lanes<H, 2>(rng);
        check_lanes<H, 3>(rng);
        check_lanes<H, 4>(rng);
        check_lanes<H, 5>(rng);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(concepts)

struct missing_finalize {
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::string_view name = "SHA1";
    using digest_type = digest<20>;
    void update(std::span<const std::byte>) noexcept {}
};

struct throwing_update {
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::string_view name = "SHA1";
    using digest_type = digest<20>;
    void update(std::span<const std::byte>) {}  // not noexcept
    digest_type finalize() noexcept { return {}; }
};

struct wrong_digest_type {
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::string_view name = "SHA1";
    using digest_type = digest<32>;
    void update(std::span<const std::byte>) noexcept {}
    digest_type finalize() noexcept { return {}; }
};

struct minimal_hash {
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::string_view name = "SHA1";
    using digest_type = digest<20>;
    void update(std::span<const std::byte>) noexcept {}
    digest_type finalize() noexcept { return {}; }
};

BOOST_AUTO_TEST_CASE(models_and_non_models) {
    static_assert(hash_function<sha1>);
    static_assert(hash_function<sha256>);
    static_assert(hash_function<sha512>);
    static_assert(block_hash_function<sha1>);
    static_assert(block_hash_function<sha256>);
    static_assert(block_hash_function<sha512>);
    static_assert(hash_function<minimal_hash>);
    static_assert(!block_hash_function<minimal_hash>);
    static_assert(!hash_function<int>);
    static_assert(!hash_function<missing_finalize>);
    static_assert(!hash_function<throwing_update>);
    static_assert(!hash_function<wrong_digest_type>);
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(constants) {
    static_assert(sha1::name == "SHA1" && sha256::name == "SHA256" && sha512::name == "SHA512");
    static_assert(sha1::block_size == 64 && sha256::block_size == 64 && sha512::block_size == 128);
    static_assert(sha1::digest_size == 20 && sha256::digest_size == 32 && sha512::digest_size == 64);
    static_assert(sha1::length_size == 8 && sha256::length_size == 8 && sha512::length_size == 16);
    static_assert(std::is_same_v<sha1::digest_type, digest<20>>);
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(digest_value)

BOOST_AUTO_TEST_CASE(regular_value) {
    constexpr auto a = digest_from_hex("00010203");
    static_assert(a.size() == 4 && a[3] == std::byte{3} && *a.data() == std::byte{0});
    static_assert(a == digest_from_hex("00010203") && a != digest_from_hex("00010204"));
    static_assert(std::regular<digest<20>>);
    static_assert(std::span<const std::byte, 4>(a)[2] == std::byte{2});
    auto b = a;
    b[0] = std::byte{0xff};
    BOOST_TEST(to_hex(b) == "ff010203");
    std::size_t count = 0;
    for (std::byte x : b) {
        count += x != std::byte{0};
    }
    BOOST_TEST(count == 4u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(byte_helpers)

constexpr bool big_endian_round_trip() {
    std::array<std::byte, 8> buffer{};
    detail::store_be32(buffer.data(), 0x01020304);
    if (buffer[0] != std::byte{1} || buffer[3] != std::byte{4} ||
        detail::load_be32(buffer.data()) != 0x01020304) {
        return false;
    }
    detail::store_be64(std::span(buffer), 0x0102030405060708);
    return buffer[0] == std::byte{1} && buffer[7] == std::byte{8} &&
           detail::load_be64(std::span<const std::byte, 8>(buffer)) == 0x0102030405060708 &&
           detail::load_be32(std::span<const std::byte, 4>(std::span(buffer).subspan<4, 4>())) == 0x05060708;
}

BOOST_AUTO_TEST_CASE(load_store_big_endian) {
    static_assert(big_endian_round_trip());
    BOOST_TEST(big_endian_round_trip());
}

constexpr bool wipes_in_constant_evaluation() {
    std::array<std::byte, 4> key{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
    detail::secure_wipe(std::span<std::byte>(key));
    std::array<std::uint32_t, 2> state{5, 6};
    detail::secure_wipe(state);
    return key == std::array<std::byte, 4>{} && state == std::array<std::uint32_t, 2>{};
}

// What secure_wipe accepts: an object it can zero, or a span of writable bytes (the bytes it refers
// to are wiped). Refused, because wiping them would zero the wrong thing or nothing: a pointer (the
// pointer, not what it points to), a span of const bytes (the span object itself), a const object.
template <class T>
concept wipeable = requires(T& object) {
    detail::secure_wipe(object);
};
static_assert(wipeable<std::array<std::byte, 4>>);
static_assert(wipeable<std::uint64_t[3]>);
static_assert(wipeable<std::span<std::byte>>);
static_assert(!wipeable<std::byte*>);
static_assert(!wipeable<std::span<const std::byte>>);
static_assert(!wipeable<const std::array<std::byte, 4>>);

BOOST_AUTO_TEST_CASE(secure_wipe) {
    static_assert(wipes_in_constant_evaluation());
    std::array<std::byte, 33> key{};
    key.fill(std::byte{0x5a});
    detail::secure_wipe(std::span<std::byte>(key));
    BOOST_TEST((key == std::array<std::byte, 33>{}));
    std::uint64_t raw[3] = {1, 2, 3};
    detail::secure_wipe(raw);
    BOOST_TEST((raw[0] == 0 && raw[1] == 0 && raw[2] == 0));
}

BOOST_AUTO_TEST_SUITE_END()
