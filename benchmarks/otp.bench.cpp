// HOTP generation and TOTP ±1 verification: twofactor against OpenSSL (HMAC() one-shot, and an
// EVP_MAC context keyed once and reused), liboath, and raw SHA-NI compressions, all measured in
// this one process. The table printed at the end gives ratios, which stay meaningful on a
// shared, noisy machine where absolute nanoseconds do not.
#include <benchmark/benchmark.h>

#include <twofactor/hotp.hpp>
#include <twofactor/totp.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "ratio_reporter.hpp"

#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif
#ifdef TWOFACTOR_BENCH_HAVE_LIBOATH
#include <liboath/oath.h>
#endif

namespace {

using namespace std::chrono_literals;

// The RFC 4226 key; HOTP messages are 8-byte counters.
const std::array<std::byte, 20> key20 = [] {
    std::array<std::byte, 20> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::byte>('0' + (i + 1) % 10);
    return key;
}();
const std::array<std::byte, 64> key64 = [] {
    std::array<std::byte, 64> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::byte>('0' + (i + 1) % 10);
    return key;
}();
constexpr std::int64_t verify_time = 1'700'000'015;

template <class Hash, std::size_t KeySize>
void twofactor_hotp(benchmark::State& state, const std::array<std::byte, KeySize>& key) {
    const twofactor::hotp<Hash, 6> generator{key};
    std::uint64_t counter = 0;
    for (auto _ : state) {
        auto code = generator.generate(counter++);
        benchmark::DoNotOptimize(code);
    }
}
void twofactor_hotp_sha1(benchmark::State& state) { twofactor_hotp<twofactor::sha1>(state, key20); }
void twofactor_hotp_sha256(benchmark::State& state) { twofactor_hotp<twofactor::sha256>(state, key20); }
void twofactor_hotp_sha512(benchmark::State& state) { twofactor_hotp<twofactor::sha512>(state, key64); }

void twofactor_totp_verify_window_1(benchmark::State& state) {
    const twofactor::totp<twofactor::sha1, 6, 30s> generator{key20};
    const auto at = std::chrono::sys_seconds{std::chrono::seconds{verify_time}};
    // A code outside the window, so every implementation computes all three candidates.
    const auto current = generator.step_at(at).value();
    const auto rejected = generator.code_for_step(current + 5);
    for (auto _ : state) {
        auto outcome = generator.verify(rejected.view(), at);
        benchmark::DoNotOptimize(outcome);
    }
}

// The floor: two SHA-1 compressions in a dependency chain (inner hash, then the outer hash
// of its result), with nothing else: no padding, truncation or formatting.
void sha1_compressions(benchmark::State& state, int compressions) {
    using sha1 = twofactor::sha1;
    std::array<std::byte, 64> block{};
    block[8] = std::byte{0x80};
    std::uint64_t counter = 0;
    for (auto _ : state) {
        twofactor::detail::store_be64(std::span<std::byte, 8>(block.data(), 8), counter++);
        sha1::state_type chained = sha1::initial_state;
        for (int i = 0; i < compressions; ++i) {
            sha1::state_type next = sha1::initial_state;
            sha1::compress_blocks(next, block.data(), 1);
            // The next block starts with the previous state, as an outer hash starts with the
            // inner digest: each compression waits for the one before.
            twofactor::detail::store_be32(std::span<std::byte, 4>(block.data(), 4), next[0] ^ chained[0]);
            chained = next;
        }
        benchmark::DoNotOptimize(chained);
    }
}
void sha_ni_2_compressions(benchmark::State& state) { sha1_compressions(state, 2); }
void sha_ni_6_compressions(benchmark::State& state) { sha1_compressions(state, 6); }

#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
std::uint32_t truncate_digest(const unsigned char* mac, unsigned length) {
    const unsigned offset = mac[length - 1] & 0x0f;
    return ((static_cast<std::uint32_t>(mac[offset]) & 0x7f) << 24 |
            static_cast<std::uint32_t>(mac[offset + 1]) << 16 |
            static_cast<std::uint32_t>(mac[offset + 2]) << 8 | static_cast<std::uint32_t>(mac[offset + 3])) %
           1'000'000;
}

void counter_bytes(std::uint64_t counter, unsigned char* out) {
    for (int i = 7; i >= 0; --i, counter >>= 8) out[i] = static_cast<unsigned char>(counter & 0xff);
}

std::uint32_t openssl_one_shot_code(std::uint64_t counter) {
    unsigned char message[8];
    counter_bytes(counter, message);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    HMAC(EVP_sha1(), key20.data(), static_cast<int>(key20.size()), message, sizeof message, mac, &length);
    return truncate_digest(mac, length);
}

void openssl_hmac_one_shot_sha1(benchmark::State& state) {
    std::uint64_t counter = 0;
    for (auto _ : state) benchmark::DoNotOptimize(openssl_one_shot_code(counter++));
}

void openssl_totp_verify_window_1(benchmark::State& state) {
    const std::uint64_t current = static_cast<std::uint64_t>(verify_time) / 30;
    const std::uint32_t rejected = openssl_one_shot_code(current + 5);
    for (auto _ : state) {
        bool accepted = false;
        for (std::uint64_t step = current - 1; step <= current + 1; ++step)
            accepted |= openssl_one_shot_code(step) == rejected;
        benchmark::DoNotOptimize(accepted);
    }
}

// EVP_MAC keyed once; EVP_MAC_init with a null key reuses the key's precomputed pad states.
void openssl_mac_reused(benchmark::State& state, const char* digest, const unsigned char* key,
                        std::size_t key_size) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* context = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
        OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(context, key, key_size, params) != 1) {
        state.SkipWithError("EVP_MAC_init failed");
        return;
    }
    std::uint64_t counter = 0;
    for (auto _ : state) {
        unsigned char message[8];
        counter_bytes(counter++, message);
        unsigned char out[EVP_MAX_MD_SIZE];
        std::size_t length = 0;
        EVP_MAC_init(context, nullptr, 0, nullptr);
        EVP_MAC_update(context, message, sizeof message);
        EVP_MAC_final(context, out, &length, sizeof out);
        benchmark::DoNotOptimize(truncate_digest(out, static_cast<unsigned>(length)));
    }
    EVP_MAC_CTX_free(context);
    EVP_MAC_free(mac);
}
const auto* as_uchar(const std::byte* bytes) { return reinterpret_cast<const unsigned char*>(bytes); }
void openssl_mac_reused_sha1(benchmark::State& state) {
    openssl_mac_reused(state, "SHA1", as_uchar(key20.data()), 20);
}
void openssl_mac_reused_sha256(benchmark::State& state) {
    openssl_mac_reused(state, "SHA256", as_uchar(key20.data()), 20);
}
void openssl_mac_reused_sha512(benchmark::State& state) {
    openssl_mac_reused(state, "SHA512", as_uchar(key64.data()), 64);
}
#endif

#ifdef TWOFACTOR_BENCH_HAVE_LIBOATH
const char* key20_chars() { return reinterpret_cast<const char*>(key20.data()); }

void liboath_hotp_sha1(benchmark::State& state) {
    std::uint64_t counter = 0;
    char code[10];
    for (auto _ : state) {
        oath_hotp_generate(key20_chars(), key20.size(), counter++, 6, false, OATH_HOTP_DYNAMIC_TRUNCATION,
                           code);
        benchmark::DoNotOptimize(code);
    }
}

void liboath_totp_verify_window_1(benchmark::State& state) {
    char rejected[10];
    const std::uint64_t current = static_cast<std::uint64_t>(verify_time) / 30;
    oath_hotp_generate(key20_chars(), key20.size(), current + 5, 6, false, OATH_HOTP_DYNAMIC_TRUNCATION,
                       rejected);
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            oath_totp_validate(key20_chars(), key20.size(), verify_time, 30, 0, 1, rejected));
    }
}
#endif

}  // namespace

BENCHMARK(twofactor_hotp_sha1);
BENCHMARK(sha_ni_2_compressions);
BENCHMARK(twofactor_totp_verify_window_1);
BENCHMARK(sha_ni_6_compressions);
BENCHMARK(twofactor_hotp_sha256);
BENCHMARK(twofactor_hotp_sha512);
#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
BENCHMARK(openssl_hmac_one_shot_sha1);
BENCHMARK(openssl_mac_reused_sha1);
BENCHMARK(openssl_totp_verify_window_1);
BENCHMARK(openssl_mac_reused_sha256);
BENCHMARK(openssl_mac_reused_sha512);
#endif
#ifdef TWOFACTOR_BENCH_HAVE_LIBOATH
BENCHMARK(liboath_hotp_sha1);
BENCHMARK(liboath_totp_verify_window_1);
#endif

int main(int argc, char** argv) {
#ifdef TWOFACTOR_BENCH_HAVE_LIBOATH
    oath_init();
#endif
    std::printf("SHA-NI in use: %s\n", twofactor::detail::cpu_has_sha_ni() ? "yes" : "no");
    benchmark::Initialize(&argc, argv);
    twofactor_bench::ratio_reporter reporter({
        {"HOTP-SHA1 code", "twofactor_hotp_sha1", "sha_ni_2_compressions", "two SHA-NI compressions",
         "<= 1.3"},
        {"HOTP-SHA1 code", "twofactor_hotp_sha1", "openssl_hmac_one_shot_sha1", "OpenSSL HMAC() one-shot",
         "<= 1/15"},
        {"HOTP-SHA1 code", "twofactor_hotp_sha1", "openssl_mac_reused_sha1", "OpenSSL EVP_MAC reused"},
        {"HOTP-SHA1 code", "twofactor_hotp_sha1", "liboath_hotp_sha1", "liboath", "<= 1/5"},
        {"TOTP verify ±1", "twofactor_totp_verify_window_1", "sha_ni_6_compressions",
         "six SHA-NI compressions", "<= 1.0"},
        {"TOTP verify ±1", "twofactor_totp_verify_window_1", "openssl_totp_verify_window_1",
         "OpenSSL HMAC() one-shot"},
        {"TOTP verify ±1", "twofactor_totp_verify_window_1", "liboath_totp_verify_window_1", "liboath"},
        {"HOTP-SHA256 code", "twofactor_hotp_sha256", "openssl_mac_reused_sha256", "OpenSSL EVP_MAC reused",
         "<= 1.0"},
        {"HOTP-SHA512 code", "twofactor_hotp_sha512", "openssl_mac_reused_sha512", "OpenSSL EVP_MAC reused",
         "<= 1.2"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
#ifdef TWOFACTOR_BENCH_HAVE_LIBOATH
    oath_done();
#endif
    return 0;
}
