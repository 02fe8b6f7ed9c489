// The crypto layer (FIPS 180-4 SHA-1/SHA-256/SHA-512, RFC 2104 HMAC) against OpenSSL 3, in one
// process: raw compressions (SHA-NI and portable), HMAC of an 8-byte counter with precomputed pads,
// three such HMACs interleaved (compute_lanes), and OpenSSL's EVP_MAC keyed once. The summary prints
// ratios, which stay meaningful on a shared, noisy machine where absolute nanoseconds do not.
#include <benchmark/benchmark.h>

#include <twofactor/hash.hpp>
#include <twofactor/hmac.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <vector>

#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
#include <openssl/core_names.h>
#include <openssl/evp.h>
#endif

namespace {

using twofactor::sha1;
using twofactor::sha256;
using twofactor::sha512;

template <std::size_t N>
std::array<std::byte, N> pattern_bytes() {
    std::array<std::byte, N> bytes{};
    for (std::size_t i = 0; i < N; ++i) bytes[i] = static_cast<std::byte>(i * 7 + 1);
    return bytes;
}
const auto key = pattern_bytes<32>();

// `Count` compressions, each block depending on the previous state (as the outer hash of HMAC
// waits for the inner one): the latency floor for an HMAC of a short message.
template <class Hash, int Count>
void chained_compressions(benchmark::State& state) {
    typename Hash::block_type block = pattern_bytes<Hash::block_size>();
    typename Hash::state_type chained = Hash::initial_state;
    for (auto _ : state) {
        for (int i = 0; i < Count; ++i) {
            Hash::compress(chained, block.data());
            block[0] = static_cast<std::byte>(chained[0]);
        }
        benchmark::DoNotOptimize(chained);
    }
}

// One compression through a given code path (detail functions; the SHA-NI ones need the CPU feature).
template <class State, std::size_t BlockSize,
          void (*Compress)(State&, const std::byte*, std::size_t) noexcept, bool NeedsShaNi = false>
void compression_path(benchmark::State& state) {
    if (NeedsShaNi && !twofactor::detail::cpu_has_sha_ni()) {
        state.SkipWithError("no SHA-NI on this CPU");
        return;
    }
    auto block = pattern_bytes<BlockSize>();
    State chained{};
    for (auto _ : state) {
        Compress(chained, block.data(), 1);
        block[0] = static_cast<std::byte>(chained[0]);
        benchmark::DoNotOptimize(chained);
    }
}

// HMAC of an 8-byte counter with the pads precomputed in the constructor (the HOTP/TOTP case).
template <class Hash>
void twofactor_hmac_8(benchmark::State& state) {
    const twofactor::hmac<Hash> mac(key);
    std::array<std::byte, 8> counter{};
    std::uint64_t n = 0;
    for (auto _ : state) {
        twofactor::detail::store_be64(counter.data(), n++);
        auto tag = mac.compute(counter);
        benchmark::DoNotOptimize(tag);
    }
}

// Three 8-byte counters at once, their compressions interleaved (a TOTP window of ±1).
template <class Hash>
void twofactor_hmac_8_lanes_3(benchmark::State& state) {
    const twofactor::hmac<Hash> mac(key);
    std::array<std::array<std::byte, 8>, 3> counters{};
    std::uint64_t n = 0;
    for (auto _ : state) {
        for (auto& counter : counters) twofactor::detail::store_be64(counter.data(), n++);
        auto tags = mac.compute_lanes(counters);
        benchmark::DoNotOptimize(tags);
    }
}

// The same three HMACs one after the other.
template <class Hash>
void twofactor_hmac_8_sequential_3(benchmark::State& state) {
    const twofactor::hmac<Hash> mac(key);
    std::array<std::byte, 8> counter{};
    std::uint64_t n = 0;
    for (auto _ : state) {
        for (int i = 0; i < 3; ++i) {
            twofactor::detail::store_be64(counter.data(), n++);
            auto tag = mac.compute(counter);
            benchmark::DoNotOptimize(tag);
        }
    }
}

// Keying included: what hmac_compute() costs for a one-off MAC.
template <class Hash>
void twofactor_hmac_8_one_shot(benchmark::State& state) {
    std::array<std::byte, 8> counter{};
    std::uint64_t n = 0;
    for (auto _ : state) {
        twofactor::detail::store_be64(counter.data(), n++);
        auto tag = twofactor::hmac_compute<Hash>(key, counter);
        benchmark::DoNotOptimize(tag);
    }
}

// A one-block message hashed from scratch (two compressions with the padding block).
template <class Hash>
void twofactor_hash_block(benchmark::State& state) {
    auto message = pattern_bytes<Hash::block_size>();
    for (auto _ : state) {
        auto d = twofactor::hash<Hash>(message);
        message[0] = d[0];
        benchmark::DoNotOptimize(d);
    }
}

#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
template <class Hash>
const char* openssl_name() {
    return Hash::name == "SHA1" ? "SHA1" : Hash::name == "SHA256" ? "SHA256" : "SHA512";
}

// EVP_MAC keyed once; EVP_MAC_init with a null key reuses the precomputed pad states.
template <class Hash>
void openssl_hmac_8_reused(benchmark::State& state) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* context = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(openssl_name<Hash>()), 0),
        OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(context, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
        state.SkipWithError("EVP_MAC_init failed");
        return;
    }
    std::array<std::byte, 8> counter{};
    std::uint64_t n = 0;
    for (auto _ : state) {
        twofactor::detail::store_be64(counter.data(), n++);
        unsigned char out[EVP_MAX_MD_SIZE];
        std::size_t length = 0;
        EVP_MAC_init(context, nullptr, 0, nullptr);
        EVP_MAC_update(context, reinterpret_cast<const unsigned char*>(counter.data()), counter.size());
        EVP_MAC_final(context, out, &length, sizeof out);
        benchmark::DoNotOptimize(out);
    }
    EVP_MAC_CTX_free(context);
    EVP_MAC_free(mac);
}

// EVP_Digest of a one-block message (two compressions plus EVP overhead).
template <class Hash>
void openssl_hash_block(benchmark::State& state) {
    EVP_MD* md = EVP_MD_fetch(nullptr, openssl_name<Hash>(), nullptr);
    auto message = pattern_bytes<Hash::block_size>();
    for (auto _ : state) {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_Digest(message.data(), message.size(), out, &length, md, nullptr);
        message[0] = static_cast<std::byte>(out[0]);
        benchmark::DoNotOptimize(out);
    }
    EVP_MD_free(md);
}
#endif

namespace d = twofactor::detail;

BENCHMARK(chained_compressions<sha1, 2>)->Name("sha1_2_chained_compressions");
BENCHMARK(chained_compressions<sha1, 6>)->Name("sha1_6_chained_compressions");
BENCHMARK(chained_compressions<sha256, 2>)->Name("sha256_2_chained_compressions");
BENCHMARK(chained_compressions<sha512, 2>)->Name("sha512_2_chained_compressions");
BENCHMARK(compression_path<d::sha1_state, 64, d::sha1_compress_portable>)->Name("sha1_compress_portable");
BENCHMARK(compression_path<d::sha256_state, 64, d::sha256_compress_portable>)
    ->Name("sha256_compress_portable");
BENCHMARK(compression_path<d::sha512_state, 128, d::sha512_compress_portable>)
    ->Name("sha512_compress_portable");
#if defined(__x86_64__) || defined(_M_X64)
BENCHMARK(compression_path<d::sha1_state, 64, d::sha1_compress_sha_ni, true>)->Name("sha1_compress_sha_ni");
BENCHMARK(compression_path<d::sha256_state, 64, d::sha256_compress_sha_ni, true>)
    ->Name("sha256_compress_sha_ni");
#endif

BENCHMARK(twofactor_hmac_8<sha1>)->Name("twofactor_hmac_sha1_8");
BENCHMARK(twofactor_hmac_8<sha256>)->Name("twofactor_hmac_sha256_8");
BENCHMARK(twofactor_hmac_8<sha512>)->Name("twofactor_hmac_sha512_8");
BENCHMARK(twofactor_hmac_8_lanes_3<sha1>)->Name("twofactor_hmac_sha1_8_lanes_3");
BENCHMARK(twofactor_hmac_8_lanes_3<sha256>)->Name("twofactor_hmac_sha256_8_lanes_3");
BENCHMARK(twofactor_hmac_8_lanes_3<sha512>)->Name("twofactor_hmac_sha512_8_lanes_3");
BENCHMARK(twofactor_hmac_8_sequential_3<sha1>)->Name("twofactor_hmac_sha1_8_sequential_3");
BENCHMARK(twofactor_hmac_8_one_shot<sha1>)->Name("twofactor_hmac_sha1_8_one_shot");
BENCHMARK(twofactor_hash_block<sha1>)->Name("twofactor_sha1_block");
BENCHMARK(twofactor_hash_block<sha256>)->Name("twofactor_sha256_block");
BENCHMARK(twofactor_hash_block<sha512>)->Name("twofactor_sha512_block");
#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
BENCHMARK(openssl_hmac_8_reused<sha1>)->Name("openssl_hmac_sha1_8_reused");
BENCHMARK(openssl_hmac_8_reused<sha256>)->Name("openssl_hmac_sha256_8_reused");
BENCHMARK(openssl_hmac_8_reused<sha512>)->Name("openssl_hmac_sha512_8_reused");
BENCHMARK(openssl_hash_block<sha1>)->Name("openssl_sha1_block");
BENCHMARK(openssl_hash_block<sha256>)->Name("openssl_sha256_block");
BENCHMARK(openssl_hash_block<sha512>)->Name("openssl_sha512_block");
#endif

// Prints the console table, then the ratios of CPU time per iteration with their targets.
class ratio_reporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
                cpu_ns_[run.benchmark_name()] = run.GetAdjustedCPUTime() *
                                                benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
                                                benchmark::GetTimeUnitMultiplier(run.time_unit);
            }
        }
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        std::printf("\nRatios of CPU time (same process):\n");
        ratio("twofactor_hmac_sha1_8", "sha1_2_chained_compressions", "target <= 1.3");
        ratio("twofactor_hmac_sha1_8_lanes_3", "sha1_6_chained_compressions", "target < 1");
        ratio("twofactor_hmac_sha1_8_lanes_3", "twofactor_hmac_sha1_8_sequential_3", "target < 1");
        ratio("twofactor_hmac_sha256_8", "openssl_hmac_sha256_8_reused", "target <= 1.0");
        ratio("twofactor_hmac_sha512_8", "openssl_hmac_sha512_8_reused", "target <= 1.2");
        ratio("twofactor_hmac_sha1_8", "openssl_hmac_sha1_8_reused", "");
        ratio("twofactor_sha1_block", "openssl_sha1_block", "");
        ratio("twofactor_sha256_block", "openssl_sha256_block", "");
        ratio("twofactor_sha512_block", "openssl_sha512_block", "");
        ratio("sha1_compress_sha_ni", "sha1_compress_portable", "");
        ratio("sha256_compress_sha_ni", "sha256_compress_portable", "");
    }

private:
    void ratio(const std::string& ours, const std::string& reference, const char* target) const {
        const auto a = cpu_ns_.find(ours);
        const auto b = cpu_ns_.find(reference);
        if (a == cpu_ns_.end() || b == cpu_ns_.end() || b->second <= 0) return;
        std::printf("  %-34s / %-36s = %5.2f  %s\n", ours.c_str(), reference.c_str(), a->second / b->second,
                    target);
    }

    std::map<std::string, double> cpu_ns_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    ratio_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
