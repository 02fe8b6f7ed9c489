// LD_PRELOAD shim for tools/test-aarch64.sh: getauxval(AT_HWCAP) without HWCAP_SHA1 and HWCAP_SHA2,
// so that sha_armv8_check sees a CPU without the SHA instructions. qemu-user 7.2 has no AArch64 CPU
// model without them, and no property to turn them off.
#include <dlfcn.h>
#include <sys/auxv.h>

extern "C" unsigned long getauxval(unsigned long type) noexcept {
    using getauxval_function = unsigned long (*)(unsigned long) noexcept;
    static const auto real = reinterpret_cast<getauxval_function>(dlsym(RTLD_NEXT, "getauxval"));
    const unsigned long value = real(type);
    return type == AT_HWCAP ? value & ~((1ul << 5) | (1ul << 6)) : value;
}
