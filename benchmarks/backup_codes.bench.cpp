// Backup codes (twofactor/backup_codes.hpp) at the default cost, 100,000 PBKDF2-HMAC-SHA256
// iterations: generate() of ten codes and consume() of one, against OpenSSL's PKCS5_PBKDF2_HMAC
// with the same hash, cost and input sizes in the same process (the summary prints ratios).
// Then a statistical timing check of consume(): does it take as long whichever code matches?
#include <benchmark/benchmark.h>

#include <twofactor/backup_codes.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "ratio_reporter.hpp"

#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

namespace {

using code_set = twofactor::backup_code_set<10>;
using generated = twofactor::generated_backup_codes<10, twofactor::sha256>;

generated make_set(std::uint32_t iterations) {
    twofactor::os_random rng;
    auto fresh = code_set::generate(rng, iterations);
    if (!fresh) {
        std::fprintf(stderr, "backup_code_set::generate failed: %s\n",
                     twofactor::describe(fresh.error()).data());
        std::abort();
    }
    return *fresh;
}

std::string grouped(const twofactor::backup_code& code) {
    const auto shown = code.reveal_grouped();
    return std::string(shown.data(), shown.size());
}

// PBKDF2 inputs of the sizes consume() hashes: a 12-character code and a 16-byte salt.
constexpr std::string_view sample_code = "7KQ4XR2PDM9A";
constexpr std::array<unsigned char, 16> sample_salt{0x3a, 0x91, 0x07, 0xee, 0x5c, 0x12, 0xb8, 0x44,
                                                    0x6d, 0xf0, 0x29, 0x83, 0xc5, 0x1e, 0x70, 0x9b};

// generate(): a salt and ten codes from the OS, one PBKDF2 per code.
void twofactor_backup_generate(benchmark::State& state) {
    twofactor::os_random rng;
    for (auto _ : state) {
        auto fresh = code_set::generate(rng);
        if (!fresh) {
            state.SkipWithError("generate failed");
            return;
        }
        benchmark::DoNotOptimize(fresh);
    }
}

// consume() of a valid code as typed ("XXXX-XXXX-XXXX"), each time on a fresh copy of the set
// (the copy, a few hundred bytes, is nothing next to the PBKDF2).
void twofactor_backup_consume(benchmark::State& state) {
    const generated fresh = make_set(twofactor::default_backup_code_iterations);
    const std::string typed = grouped(fresh.codes[3]);
    for (auto _ : state) {
        code_set set = fresh.set;
        auto use = set.consume(typed);
        if (!use) {
            state.SkipWithError("consume failed");
            return;
        }
        benchmark::DoNotOptimize(use);
    }
}

// The library's PBKDF2 alone, on the same input sizes: what consume() adds on top of it.
void twofactor_pbkdf2_sha256(benchmark::State& state) {
    const auto password = std::as_bytes(std::span(sample_code));
    const auto salt = std::as_bytes(std::span(sample_salt));
    for (auto _ : state) {
        std::array<std::byte, 32> derived{};
        twofactor::pbkdf2<twofactor::sha256>(password, salt, twofactor::default_backup_code_iterations,
                                             derived);
        benchmark::DoNotOptimize(derived);
    }
}

#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
bool openssl_pbkdf2(std::array<unsigned char, 32>& derived) {
    return PKCS5_PBKDF2_HMAC(sample_code.data(), static_cast<int>(sample_code.size()), sample_salt.data(),
                             static_cast<int>(sample_salt.size()),
                             static_cast<int>(twofactor::default_backup_code_iterations), EVP_sha256(),
                             static_cast<int>(derived.size()), derived.data()) == 1;
}

// One PKCS5_PBKDF2_HMAC: the baseline of consume().
void openssl_pbkdf2_sha256(benchmark::State& state) {
    for (auto _ : state) {
        std::array<unsigned char, 32> derived{};
        if (!openssl_pbkdf2(derived)) {
            state.SkipWithError("PKCS5_PBKDF2_HMAC failed");
            return;
        }
        benchmark::DoNotOptimize(derived);
    }
}

// Ten of them: the baseline of generate() (whose random draws are negligible).
void openssl_pbkdf2_sha256_x10(benchmark::State& state) {
    for (auto _ : state) {
        for (int i = 0; i < 10; ++i) {
            std::array<unsigned char, 32> derived{};
            if (!openssl_pbkdf2(derived)) {
                state.SkipWithError("PKCS5_PBKDF2_HMAC failed");
                return;
            }
            benchmark::DoNotOptimize(derived);
        }
    }
}
#endif

// ---- Timing check: consume() costs the same whichever code matches ------------------------
//
// consume() runs one PBKDF2 on the typed code, then compares the result with all N stored
// digests and reads all N used flags with no early exit and no branch on which code matched
// (the match is selected with masks). So the time of a consume() that matches the first code,
// the last code or no code must be the same up to noise: the medians below should differ by
// no more than a couple of percent, about as much as two halves of one case differ from each
// other ("same_case_pct", the noise floor). A consistent gap of several percent between
// first and last would point at an early exit.
//
// The three cases are interleaved in random order, each timed on a fresh copy of the set at the
// lowest cost (1,000 iterations, about 0.1 ms) so that many rounds fit in a second or two.

struct timing_summary {
    bool measured = false;
    std::size_t rounds = 0;
    double first_us = 0;
    double last_us = 0;
    double none_us = 0;
    double same_case_pct = 0;
};
timing_summary timing;

double median(std::vector<double> values) {
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

void consume_timing_by_matching_code(benchmark::State& state) {
    constexpr std::size_t rounds = 2000;
    const generated fresh = make_set(twofactor::min_backup_code_iterations);
    const generated other = make_set(twofactor::min_backup_code_iterations);
    // The same length and form in every case: only which digest matches differs.
    const std::array<std::string, 3> typed{grouped(fresh.codes[0]), grouped(fresh.codes[9]),
                                           grouped(other.codes[0])};
    const std::array<bool, 3> accepted{true, true, false};

    std::vector<std::size_t> schedule;
    for (std::size_t i = 0; i < rounds; ++i) schedule.insert(schedule.end(), {0, 1, 2});
    std::mt19937_64 shuffler(20261128);

    for (auto _ : state) {
        std::array<std::vector<double>, 3> microseconds;
        for (auto& samples : microseconds) samples.reserve(rounds);
        std::shuffle(schedule.begin(), schedule.end(), shuffler);
        for (const std::size_t which : schedule) {
            code_set set = fresh.set;
            benchmark::DoNotOptimize(set);  // the copy is made before the clock starts
            benchmark::ClobberMemory();
            const auto start = std::chrono::steady_clock::now();
            auto use = set.consume(typed[which]);
            const auto stop = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(use);
            if (use.has_value() != accepted[which]) {
                state.SkipWithError("consume gave an unexpected result");
                return;
            }
            microseconds[which].push_back(std::chrono::duration<double, std::micro>(stop - start).count());
        }
        timing.measured = true;
        timing.rounds = rounds;
        timing.first_us = median(microseconds[0]);
        timing.last_us = median(microseconds[1]);
        timing.none_us = median(microseconds[2]);
        // Noise floor: the medians of the even and odd samples of the first case.
        std::array<std::vector<double>, 2> halves;
        for (std::size_t i = 0; i < microseconds[0].size(); ++i) halves[i % 2].push_back(microseconds[0][i]);
        timing.same_case_pct = 100.0 * (median(halves[1]) - median(halves[0])) / median(halves[0]);
    }
    state.counters["first_us"] = timing.first_us;
    state.counters["last_us"] = timing.last_us;
    state.counters["none_us"] = timing.none_us;
    state.counters["last_vs_first_pct"] = 100.0 * (timing.last_us - timing.first_us) / timing.first_us;
    state.counters["none_vs_first_pct"] = 100.0 * (timing.none_us - timing.first_us) / timing.first_us;
    state.counters["same_case_pct"] = timing.same_case_pct;
}

void print_timing_summary() {
    if (!timing.measured) return;
    const auto percent = [](double value) { return 100.0 * (value - timing.first_us) / timing.first_us; };
    std::printf(
        "\nconsume() timing by matching code (%u iterations, %zu rounds of each case, interleaved):\n"
        "  median matching the first code %8.2f us\n"
        "  median matching the last code  %8.2f us  (%+.2f %% vs first)\n"
        "  median matching no code        %8.2f us  (%+.2f %% vs first)\n"
        "  noise floor (two halves of the first case) %+.2f %%\n"
        "  expected: all within noise (a couple of percent); consume() has no early exit.\n",
        static_cast<unsigned>(twofactor::min_backup_code_iterations), timing.rounds, timing.first_us,
        timing.last_us, percent(timing.last_us), timing.none_us, percent(timing.none_us),
        timing.same_case_pct);
}

}  // namespace

BENCHMARK(twofactor_backup_generate)->Unit(benchmark::kMillisecond);
BENCHMARK(twofactor_backup_consume)->Unit(benchmark::kMillisecond);
BENCHMARK(twofactor_pbkdf2_sha256)->Unit(benchmark::kMillisecond);
#ifdef TWOFACTOR_BENCH_HAVE_OPENSSL
BENCHMARK(openssl_pbkdf2_sha256)->Unit(benchmark::kMillisecond);
BENCHMARK(openssl_pbkdf2_sha256_x10)->Unit(benchmark::kMillisecond);
#endif
BENCHMARK(consume_timing_by_matching_code)->Iterations(1)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    std::printf("SHA-NI in use: %s\n", twofactor::detail::cpu_has_sha_ni() ? "yes" : "no");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    twofactor_bench::ratio_reporter reporter({
        {"consume() 100k", "twofactor_backup_consume", "openssl_pbkdf2_sha256", "OpenSSL PKCS5_PBKDF2_HMAC"},
        {"generate() x10", "twofactor_backup_generate", "openssl_pbkdf2_sha256_x10",
         "10 x PKCS5_PBKDF2_HMAC"},
        {"PBKDF2-SHA256", "twofactor_pbkdf2_sha256", "openssl_pbkdf2_sha256", "OpenSSL PKCS5_PBKDF2_HMAC"},
        {"consume() 100k", "twofactor_backup_consume", "twofactor_pbkdf2_sha256", "twofactor pbkdf2 alone"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    print_timing_summary();
    return 0;
}
