// Run-time CPU feature detection for the hardware hash paths.
// x86: Intel SDM Vol. 2A, CPUID leaf 1 (ECX bit 9 SSSE3, bit 19 SSE4.1) and leaf 7 sub-leaf 0 (EBX bit 29
// SHA).
#ifndef TWOFACTOR_DETAIL_CPU_FEATURES_HPP_INCLUDED
#define TWOFACTOR_DETAIL_CPU_FEATURES_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#if defined(__x86_64__) || defined(_M_X64)
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace twofactor::inline v1::detail {

#if defined(__x86_64__) || defined(_M_X64)

/// Queries CPUID: true when the SHA extensions and the SSE levels our SHA-NI code needs are present.
/// Costs a few hundred cycles (more under a hypervisor); call cpu_has_sha_ni() instead.
inline bool detect_sha_ni() noexcept {
#if defined(__SHA__) && defined(__SSE4_1__) && defined(__SSSE3__)
    return true;  // the whole program is compiled for a CPU with SHA-NI
#elif defined(_MSC_VER) && !defined(__clang__)
    int regs[4] = {};
    __cpuid(regs, 0);
    if (regs[0] < 7) {
        return false;
    }
    __cpuid(regs, 1);
    const bool ssse3 = (regs[2] & (1 << 9)) != 0;
    const bool sse41 = (regs[2] & (1 << 19)) != 0;
    __cpuidex(regs, 7, 0);
    const bool sha = (regs[1] & (1 << 29)) != 0;
    return ssse3 && sse41 && sha;
#else
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_max(0, nullptr) < 7) {
        return false;
    }
    __cpuid(1, eax, ebx, ecx, edx);
    const bool ssse3 = (ecx & (1u << 9)) != 0;
    const bool sse41 = (ecx & (1u << 19)) != 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool sha = (ebx & (1u << 29)) != 0;
    return ssse3 && sse41 && sha;
#endif
}

/// The detection result, computed once during dynamic initialisation of the program.
/// Should a static initialiser of another translation unit hash something before this variable is
/// initialised, it reads the zero-initialised value `false` and takes the portable path, which yields
/// identical results; so the order of initialisation never matters for correctness.
inline const bool cpu_sha_ni_detected = detect_sha_ni();

/// True when the x86 SHA extensions (SHA-NI) may be used: one load of a cached bool.
inline bool cpu_has_sha_ni() noexcept { return cpu_sha_ni_detected; }

#else

/// No SHA-NI outside x86-64.
constexpr bool cpu_has_sha_ni() noexcept { return false; }

#endif

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_CPU_FEATURES_HPP_INCLUDED
