// Run-time CPU feature detection for the hardware hash paths.
// x86: Intel SDM Vol. 2A, CPUID leaf 1 (ECX bit 9 SSSE3, bit 19 SSE4.1) and leaf 7 sub-leaf 0 (EBX bit 29
// SHA).
// AArch64: Linux Documentation/arch/arm64/elf_hwcaps.rst, AT_HWCAP bits HWCAP_SHA1 (5) and HWCAP_SHA2 (6).
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

#if defined(__aarch64__) && !defined(__AARCH64EB__) && !defined(__ARM_FEATURE_SHA2) && \
    !defined(__ARM_FEATURE_CRYPTO) && defined(__linux__)
#include <sys/auxv.h>  // getauxval; Linux and Android (also under Bionic and musl)
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

// The ARMv8 path (detail/sha_armv8.hpp) exists for little-endian AArch64 with GCC or Clang.
#if defined(__aarch64__) && !defined(__AARCH64EB__)

#if defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)

/// The whole program is compiled for a CPU with the SHA-1 and SHA-256 instructions.
constexpr bool cpu_has_armv8_sha() noexcept { return true; }

#else

/// True when an AT_HWCAP value announces both SHA1 and SHA2 (the SHA-1 and SHA-256 instructions).
constexpr bool armv8_sha_in_hwcap(unsigned long hwcap) noexcept {
    // The values of <asm/hwcap.h>, fixed by the kernel ABI; that header is not always installed.
    constexpr unsigned long hwcap_sha1 = 1ul << 5;
    constexpr unsigned long hwcap_sha2 = 1ul << 6;
    return (hwcap & (hwcap_sha1 | hwcap_sha2)) == (hwcap_sha1 | hwcap_sha2);
}

/// Asks the operating system whether the ARMv8 SHA-1 and SHA-256 instructions may be used (user
/// space cannot read the ID registers portably). Call cpu_has_armv8_sha() instead.
inline bool detect_armv8_sha() noexcept {
#if defined(__APPLE__)
    return true;  // every Apple AArch64 CPU has them
#elif defined(__linux__)
    return armv8_sha_in_hwcap(getauxval(AT_HWCAP));
#else
    return false;  // no detection written for this system: the portable path
#endif
}

/// The detection result, computed once during dynamic initialisation (see cpu_sha_ni_detected for
/// why the order of initialisation never matters for correctness).
inline const bool cpu_armv8_sha_detected = detect_armv8_sha();

/// True when the ARMv8 SHA-1 and SHA-256 instructions may be used: one load of a cached bool.
inline bool cpu_has_armv8_sha() noexcept { return cpu_armv8_sha_detected; }

#endif

#else

/// No ARMv8 SHA path outside little-endian AArch64.
constexpr bool cpu_has_armv8_sha() noexcept { return false; }

#endif

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_CPU_FEATURES_HPP_INCLUDED
