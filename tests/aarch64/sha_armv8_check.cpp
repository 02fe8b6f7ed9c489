// Checks the ARMv8 SHA-1/SHA-256 path (detail/sha_armv8.hpp) against the portable code and the
// published vectors: FIPS 180-4 examples, RFC 2202 and RFC 4231 (HMAC), RFC 4226 Appendix D (HOTP)
// and RFC 6238 Appendix B (TOTP). Built by tools/test-aarch64.sh for AArch64 and run under
// qemu-user; no Boost, so that the cross toolchain needs nothing but its C++ library.
//
// Usage: sha_armv8_check --expect-armv8-sha=yes|no
//   yes: the CPU must report the SHA instructions (else the run would prove nothing), and the
//        armv8, portable and automatic paths are compared;
//   no:  the CPU must not report them, and the automatic path must still give the right answers.
// Prints what it checked and ends with "sha_armv8_check: N passed, N failed"; exit status 1 on any
// failure.
#include <twofactor/hash.hpp>
#include <twofactor/hmac.hpp>
#include <twofactor/hotp.hpp>
#include <twofactor/totp.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#if defined(__linux__)
#include <sys/auxv.h>
#endif

#if !defined(__aarch64__)
#error "sha_armv8_check is an AArch64 test: build it with tools/test-aarch64.sh"
#endif

namespace {

namespace tf = twofactor;
namespace detail = twofactor::detail;
using detail::sha_path;

struct portable_sha1 : detail::block_hash_base<portable_sha1, detail::sha1_traits<sha_path::portable>> {};
struct armv8_sha1 : detail::block_hash_base<armv8_sha1, detail::sha1_traits<sha_path::armv8>> {};
struct portable_sha256 : detail::block_hash_base<portable_sha256, detail::sha256_traits<sha_path::portable>> {
};
struct armv8_sha256 : detail::block_hash_base<armv8_sha256, detail::sha256_traits<sha_path::armv8>> {};

// Constant evaluation takes the portable code whatever the path.
constexpr std::array abc{std::byte{'a'}, std::byte{'b'}, std::byte{'c'}};
static_assert(tf::hash<armv8_sha1>(abc)[0] == std::byte{0xa9});
static_assert(tf::hash<armv8_sha256>(abc)[0] == std::byte{0xba});

int passed = 0;
int failed = 0;

void check(bool ok, const std::string& what) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::printf("FAILED: %s\n", what.c_str());
    }
}

template <class Bytes>
std::string to_hex(const Bytes& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (const std::byte b : bytes) {
        text += digits[std::to_integer<unsigned>(b) >> 4];
        text += digits[std::to_integer<unsigned>(b) & 15];
    }
    return text;
}

std::span<const std::byte> bytes_of(std::string_view text) { return std::as_bytes(std::span(text)); }

std::vector<std::byte> repeated(std::size_t count, unsigned value) {
    return std::vector<std::byte>(count, static_cast<std::byte>(value));
}

std::vector<std::byte> random_bytes(std::mt19937& random, std::size_t count) {
    std::vector<std::byte> bytes(count);
    for (std::byte& b : bytes) b = static_cast<std::byte>(random() & 0xff);
    return bytes;
}

template <class H>
std::string hex_of(std::span<const std::byte> message) {
    return to_hex(tf::hash<H>(message));
}

// The digest after feeding `message` in random pieces (empty ones included).
template <class H>
std::string streamed_hex_of(std::span<const std::byte> message, std::mt19937& random) {
    H h;
    std::size_t at = 0;
    while (at < message.size()) {
        const std::size_t piece = std::min<std::size_t>(random() % 140, message.size() - at);
        h.update(message.subspan(at, piece));
        at += piece;
    }
    h.update({});
    return to_hex(h.finalize());
}

// Every message length 0..300: one-shot and streamed digests of every path equal the portable one.
template <class Portable, class Armv8, class Automatic>
void check_random_messages(const char* name, bool armv8) {
    std::mt19937 random(20240611);
    const int before = passed;
    for (std::size_t length = 0; length <= 300; ++length) {
        const std::vector<std::byte> message = random_bytes(random, length);
        const std::string reference = hex_of<Portable>(message);
        const std::string where = std::string(name) + " length " + std::to_string(length);
        check(streamed_hex_of<Portable>(message, random) == reference, where + " portable streamed");
        check(hex_of<Automatic>(message) == reference, where + " automatic");
        check(streamed_hex_of<Automatic>(message, random) == reference, where + " automatic streamed");
        if (armv8) {
            check(hex_of<Armv8>(message) == reference, where + " armv8");
            check(streamed_hex_of<Armv8>(message, random) == reference, where + " armv8 streamed");
        }
    }
    std::printf("%s: messages of 0..300 random bytes, one-shot and streamed in random pieces: %d checks\n",
                name, passed - before);
}

struct fips_vector {
    std::string_view message;
    std::size_t repeat;
    std::string_view sha1;
    std::string_view sha256;
};

// FIPS 180-4 examples (NIST CSRC "Examples with intermediate values"): "abc", the empty message, the
// 448- and 896-bit messages, and one million 'a'.
constexpr fips_vector fips_vectors[] = {
    {"abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
     "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrs"
     "tnopqr"
     "stu",
     1, "a49b2446a02c645bf419f995b67091253a04a259",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {"a", 1'000'000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

template <class H>
void check_fips(std::string_view expected_field(const fips_vector&), const char* name) {
    for (const fips_vector& v : fips_vectors) {
        std::string message;
        for (std::size_t i = 0; i < v.repeat; ++i) message += v.message;
        const std::string where = std::string(name) + " FIPS 180-4 \"" + std::string(v.message.substr(0, 8)) +
                                  (v.repeat > 1 ? "\" x" + std::to_string(v.repeat) : "\"");
        check(hex_of<H>(bytes_of(message)) == expected_field(v), where);
    }
}

struct hmac_vector {
    std::vector<std::byte> key;
    std::vector<std::byte> data;
    std::string_view mac;  // hex; RFC 4231 case 5 is truncated to 128 bits
};

std::vector<std::byte> vec_of(std::string_view text) {
    const auto b = bytes_of(text);
    return {b.begin(), b.end()};
}

std::vector<std::byte> counting_key(std::size_t n) {  // 0x01, 0x02, ..., n
    std::vector<std::byte> key(n);
    for (std::size_t i = 0; i < n; ++i) key[i] = static_cast<std::byte>(i + 1);
    return key;
}

// RFC 2202 §3, test cases 1-7 (HMAC-SHA-1).
std::vector<hmac_vector> rfc2202() {
    return {
        {repeated(20, 0x0b), vec_of("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
        {vec_of("Jefe"), vec_of("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
        {repeated(20, 0xaa), repeated(50, 0xdd), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
        {counting_key(25), repeated(50, 0xcd), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
        {repeated(20, 0x0c), vec_of("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
        {repeated(80, 0xaa), vec_of("Test Using Larger Than Block-Size Key - Hash Key First"),
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
        {repeated(80, 0xaa),
         vec_of("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
         "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
    };
}

// RFC 4231 §4.2-4.8, test cases 1-7 (HMAC-SHA-256).
std::vector<hmac_vector> rfc4231() {
    return {
        {repeated(20, 0x0b), vec_of("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {vec_of("Jefe"), vec_of("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {repeated(20, 0xaa), repeated(50, 0xdd),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {counting_key(25), repeated(50, 0xcd),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {repeated(20, 0x0c), vec_of("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"},
        {repeated(131, 0xaa), vec_of("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {repeated(131, 0xaa),
         vec_of(
             "This is a test using a larger than block-size key and a larger than block-size data. The key "
             "needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
}

template <class H>
void check_hmac(const std::vector<hmac_vector>& vectors, const char* name) {
    int number = 1;
    for (const hmac_vector& v : vectors) {
        const tf::hmac<H> mac{v.key};
        const std::string where = std::string(name) + " case " + std::to_string(number++);
        check(to_hex(mac.compute(v.data)).substr(0, v.mac.size()) == v.mac, where);
        tf::hmac<H> streamed{v.key};
        const std::size_t half = v.data.size() / 2;
        streamed.update(std::span(v.data).first(half));
        streamed.update(std::span(v.data).subspan(half));
        check(to_hex(streamed.finalize()).substr(0, v.mac.size()) == v.mac, where + " streamed");
    }
}

// compress_lanes for 1..5 lanes and compress_blocks for 0..8 blocks, from random states, against the
// portable compression.
template <class Portable, class H, std::size_t Lanes>
void check_lanes(std::mt19937& random, const char* name) {
    for (int round = 0; round < 20; ++round) {
        std::array<typename H::state_type, Lanes> states{};
        std::array<typename H::block_type, Lanes> blocks{};
        for (std::size_t l = 0; l < Lanes; ++l) {
            for (auto& word : states[l]) word = static_cast<std::uint32_t>(random());
            for (auto& b : blocks[l]) b = static_cast<std::byte>(random() & 0xff);
        }
        auto expected = states;
        for (std::size_t l = 0; l < Lanes; ++l) Portable::compress(expected[l], blocks[l].data());
        H::compress_lanes(states, blocks);
        check(states == expected, std::string(name) + " compress_lanes<" + std::to_string(Lanes) + ">");
    }
}

template <class Portable, class H>
void check_compression(const char* name) {
    std::mt19937 random(4226);
    const int before = passed;
    check_lanes<Portable, H, 1>(random, name);
    check_lanes<Portable, H, 2>(random, name);
    check_lanes<Portable, H, 3>(random, name);
    check_lanes<Portable, H, 4>(random, name);
    check_lanes<Portable, H, 5>(random, name);
    for (std::size_t count = 0; count <= 8; ++count) {
        typename H::state_type state{};
        for (auto& word : state) word = static_cast<std::uint32_t>(random());
        const std::vector<std::byte> data = random_bytes(random, 64 * count);
        auto expected = state;
        Portable::compress_blocks(expected, data.data(), count);
        H::compress_blocks(state, data.data(), count);
        check(state == expected, std::string(name) + " compress_blocks of " + std::to_string(count));
    }
    std::printf("%s: compress_lanes<1..5> and compress_blocks(0..8) against portable: %d checks\n", name,
                passed - before);
}

// RFC 4226 Appendix D: HOTP-SHA-1 codes for counters 0..9; verify() searches a window of lanes.
template <class H>
void check_hotp(const char* name) {
    constexpr std::string_view codes[] = {"755224", "287082", "359152", "969429", "338314",
                                          "254676", "287922", "162583", "399871", "520489"};
    const tf::hotp<H, 6> generator{bytes_of("12345678901234567890")};
    for (std::uint64_t counter = 0; counter < 10; ++counter) {
        const std::string where = std::string(name) + " RFC 4226 counter " + std::to_string(counter);
        check(generator.generate(counter).view() == codes[counter], where);
        const auto found = generator.verify(codes[counter], 0, 9);
        check(found.has_value() && *found == counter, where + " verify in window 0..9");
    }
}

// RFC 6238 Appendix B, the SHA-1 and SHA-256 columns (8 digits, 30 s); verify() with a ±1 window.
template <class Sha1, class Sha256>
void check_totp(const char* name) {
    using namespace std::chrono_literals;
    struct row {
        std::int64_t time;
        std::string_view sha1;
        std::string_view sha256;
    };
    constexpr row rows[] = {
        {59, "94287082", "46119246"},         {1111111109, "07081804", "68084774"},
        {1111111111, "14050471", "67062674"}, {1234567890, "89005924", "91819424"},
        {2000000000, "69279037", "90698825"}, {20000000000, "65353130", "77737706"},
    };
    const tf::totp<Sha1, 8, 30s> totp1{bytes_of("12345678901234567890")};
    const tf::totp<Sha256, 8, 30s> totp256{bytes_of("12345678901234567890123456789012")};
    for (const row& r : rows) {
        const std::chrono::sys_seconds at{std::chrono::seconds{r.time}};
        const std::string where = std::string(name) + " RFC 6238 T=" + std::to_string(r.time);
        const auto code1 = totp1.code_at(at);
        const auto code256 = totp256.code_at(at);
        check(code1.has_value() && code1->view() == r.sha1, where + " SHA-1");
        check(code256.has_value() && code256->view() == r.sha256, where + " SHA-256");
        const auto match1 = totp1.verify(r.sha1, at + 30s);
        const auto match256 = totp256.verify(r.sha256, at - 30s);
        check(match1.has_value() && match1->offset == -1, where + " SHA-1 verify (window +-1)");
        check(match256.has_value() && match256->offset == 1, where + " SHA-256 verify (window +-1)");
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view usage = "usage: sha_armv8_check --expect-armv8-sha=yes|no\n";
    if (argc != 2 || (std::string_view(argv[1]) != "--expect-armv8-sha=yes" &&
                      std::string_view(argv[1]) != "--expect-armv8-sha=no")) {
        std::fputs(usage.data(), stderr);
        return 2;
    }
    const bool expected = std::string_view(argv[1]) == "--expect-armv8-sha=yes";
    const bool armv8 = detail::cpu_has_armv8_sha();
#if defined(__linux__)
    const unsigned long hwcap = getauxval(AT_HWCAP);
    std::printf("AT_HWCAP: SHA1 %s, SHA2 %s\n", (hwcap & (1ul << 5)) != 0 ? "yes" : "no",
                (hwcap & (1ul << 6)) != 0 ? "yes" : "no");
#endif
    std::printf("cpu_has_armv8_sha(): %s (expected %s)\n", armv8 ? "true" : "false",
                expected ? "true" : "false");
    check(armv8 == expected, "cpu_has_armv8_sha() reports the expected answer");
#if !defined(__ARM_FEATURE_SHA2) && !defined(__ARM_FEATURE_CRYPTO)
    check(detail::armv8_sha_in_hwcap((1ul << 5) | (1ul << 6)) && !detail::armv8_sha_in_hwcap(1ul << 5) &&
              !detail::armv8_sha_in_hwcap(1ul << 6) && !detail::armv8_sha_in_hwcap(0),
          "armv8_sha_in_hwcap needs both SHA1 and SHA2");
#endif
    std::printf("forced armv8 path: %s\n",
                armv8 ? "compared with portable and automatic" : "skipped (no SHA)");

    check_random_messages<portable_sha1, armv8_sha1, tf::sha1>("SHA-1", armv8);
    check_random_messages<portable_sha256, armv8_sha256, tf::sha256>("SHA-256", armv8);

    constexpr auto sha1_of = [](const fips_vector& v) { return v.sha1; };
    constexpr auto sha256_of = [](const fips_vector& v) { return v.sha256; };
    const int before_vectors = passed;
    check_fips<portable_sha1>(sha1_of, "portable SHA-1");
    check_fips<tf::sha1>(sha1_of, "automatic SHA-1");
    check_fips<portable_sha256>(sha256_of, "portable SHA-256");
    check_fips<tf::sha256>(sha256_of, "automatic SHA-256");
    check_hmac<portable_sha1>(rfc2202(), "portable HMAC-SHA-1 RFC 2202");
    check_hmac<tf::sha1>(rfc2202(), "automatic HMAC-SHA-1 RFC 2202");
    check_hmac<portable_sha256>(rfc4231(), "portable HMAC-SHA-256 RFC 4231");
    check_hmac<tf::sha256>(rfc4231(), "automatic HMAC-SHA-256 RFC 4231");
    check_compression<portable_sha1, tf::sha1>("automatic SHA-1");
    check_compression<portable_sha256, tf::sha256>("automatic SHA-256");
    check_hotp<portable_sha1>("portable HOTP");
    check_hotp<tf::sha1>("automatic HOTP");
    check_totp<portable_sha1, portable_sha256>("portable TOTP");
    check_totp<tf::sha1, tf::sha256>("automatic TOTP");
    if (armv8) {
        check_fips<armv8_sha1>(sha1_of, "armv8 SHA-1");
        check_fips<armv8_sha256>(sha256_of, "armv8 SHA-256");
        check_hmac<armv8_sha1>(rfc2202(), "armv8 HMAC-SHA-1 RFC 2202");
        check_hmac<armv8_sha256>(rfc4231(), "armv8 HMAC-SHA-256 RFC 4231");
        check_compression<portable_sha1, armv8_sha1>("armv8 SHA-1");
        check_compression<portable_sha256, armv8_sha256>("armv8 SHA-256");
        check_hotp<armv8_sha1>("armv8 HOTP");
        check_totp<armv8_sha1, armv8_sha256>("armv8 TOTP");
    }
    std::printf("FIPS 180-4, RFC 2202, RFC 4231, RFC 4226, RFC 6238 vectors and lanes: %d checks\n",
                passed - before_vectors);
    std::printf("sha_armv8_check: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
