// QR code encoding (ISO/IEC 18004): twofactor against libqrencode, measured in this one
// process. The typical case is an otpauth:// URI of about 120 bytes at level M; a long text
// (version 40) shows the mask evaluation at its largest. The table at the end gives ratios.
#include <benchmark/benchmark.h>

#include <twofactor/qr.hpp>

#include <cstdio>
#include <string>

#include "ratio_reporter.hpp"

#ifdef TWOFACTOR_BENCH_HAVE_QRENCODE
#include <qrencode.h>
#endif

namespace {

// 127 bytes: label, a 32-character base32 secret (160 bits), issuer and parameters.
const std::string otpauth_uri =
    "otpauth://totp/Example%20Corp:alice.smith%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    "&issuer=Example%20Corp&period=30";

// 2300 bytes of mixed-case text: version 40 at level M, byte mode.
const std::string long_text = [] {
    std::string text;
    while (text.size() < 2300) text += "The quick brown fox jumps over the lazy dog; ";
    text.resize(2300);
    return text;
}();

void twofactor_encode(benchmark::State& state, const std::string& text) {
    int version = 0;
    for (auto _ : state) {
        auto code =
            twofactor::qr_code::encode_text(text, {.ecc = twofactor::qr_ecc::medium, .boost_ecc = false});
        version = code->version();
        benchmark::DoNotOptimize(code);
    }
    state.counters["version"] = version;
}
void twofactor_encode_otpauth(benchmark::State& state) { twofactor_encode(state, otpauth_uri); }
void twofactor_encode_long(benchmark::State& state) { twofactor_encode(state, long_text); }

#ifdef TWOFACTOR_BENCH_HAVE_QRENCODE
void libqrencode_encode(benchmark::State& state, const std::string& text) {
    int version = 0;
    for (auto _ : state) {
        QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (code == nullptr) {
            state.SkipWithError("QRcode_encodeString failed");
            return;
        }
        version = code->version;
        benchmark::DoNotOptimize(code->data);
        QRcode_free(code);
    }
    state.counters["version"] = version;
}
void libqrencode_encode_otpauth(benchmark::State& state) { libqrencode_encode(state, otpauth_uri); }
void libqrencode_encode_long(benchmark::State& state) { libqrencode_encode(state, long_text); }
#endif

}  // namespace

BENCHMARK(twofactor_encode_otpauth);
BENCHMARK(twofactor_encode_long);
#ifdef TWOFACTOR_BENCH_HAVE_QRENCODE
BENCHMARK(libqrencode_encode_otpauth);
BENCHMARK(libqrencode_encode_long);
#endif

int main(int argc, char** argv) {
    std::printf("otpauth URI: %zu bytes; long text: %zu bytes\n", otpauth_uri.size(), long_text.size());
#ifndef TWOFACTOR_BENCH_HAVE_QRENCODE
    std::printf("libqrencode not found (Debian: libqrencode-dev): no baseline\n");
#endif
    benchmark::Initialize(&argc, argv);
    twofactor_bench::ratio_reporter reporter({
        {"otpauth URI, M", "twofactor_encode_otpauth", "libqrencode_encode_otpauth", "libqrencode", "<= 1.0"},
        {"2300 bytes, M", "twofactor_encode_long", "libqrencode_encode_long", "libqrencode", "<= 1.0"},
    });
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
