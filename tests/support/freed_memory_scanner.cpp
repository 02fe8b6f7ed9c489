// LD_PRELOAD library for tests/cli_secret_residue.test.cpp: every block released through free()
// (operator delete ends there) or moved by realloc() is searched, before glibc reuses its first
// bytes, for the needles listed in the file named by $TWOFACTOR_SCAN_NEEDLES (one per line,
// in hexadecimal, at most 32 of up to 128 bytes). Each hit is appended to the file named by
// $TWOFACTOR_SCAN_REPORT as "needle <index> in a freed block of <size> bytes".
//
// glibc only (__libc_free, malloc_usable_size); it allocates nothing itself, except realloc's
// new block.
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" void __libc_free(void*);

namespace {

constexpr std::size_t max_needles = 32;
constexpr std::size_t max_needle_size = 128;

struct needle {
    unsigned char bytes[max_needle_size];
    std::size_t size;
};

needle needles[max_needles];
std::size_t needle_count = 0;
int report = -2;  // -2: not opened yet; -1: no report wanted
thread_local bool busy = false;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void load() {
    const char* report_path = std::getenv("TWOFACTOR_SCAN_REPORT");
    const char* needles_path = std::getenv("TWOFACTOR_SCAN_NEEDLES");
    report = -1;
    if (report_path == nullptr || needles_path == nullptr) return;
    static char text[max_needles * (2 * max_needle_size + 1) + 1];
    const int in = ::open(needles_path, O_RDONLY | O_CLOEXEC);
    if (in < 0) return;
    std::size_t size = 0;
    for (ssize_t got; size < sizeof text - 1 && (got = ::read(in, text + size, sizeof text - 1 - size)) > 0;)
        size += static_cast<std::size_t>(got);
    ::close(in);
    needle current{};
    for (std::size_t i = 0; i + 1 < size && needle_count < max_needles;) {
        if (text[i] == '\n') {
            if (current.size > 0) needles[needle_count++] = current;
            current = needle{};
            ++i;
            continue;
        }
        const int high = hex_value(text[i]), low = hex_value(text[i + 1]);
        if (high >= 0 && low >= 0 && current.size < max_needle_size)
            current.bytes[current.size++] = static_cast<unsigned char>(high * 16 + low);
        i += 2;
    }
    if (current.size > 0 && needle_count < max_needles) needles[needle_count++] = current;
    report = ::open(report_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

void scan(void* block) {
    if (block == nullptr || busy) return;
    busy = true;
    if (report == -2) load();
    if (report >= 0) {
        const std::size_t size = malloc_usable_size(block);
        for (std::size_t n = 0; n < needle_count; ++n) {
            if (::memmem(block, size, needles[n].bytes, needles[n].size) == nullptr) continue;
            char line[96];
            const int length =
                std::snprintf(line, sizeof line, "needle %zu in a freed block of %zu bytes\n", n, size);
            if (length > 0) (void)!::write(report, line, static_cast<std::size_t>(length));
        }
    }
    busy = false;
}

}  // namespace

extern "C" void free(void* block) {
    scan(block);
    __libc_free(block);
}

// Always moves the block, so that what a growing buffer leaves behind is seen (glibc may grow in
// place, but then again may not).
extern "C" void* realloc(void* block, std::size_t size) {
    if (block == nullptr) return std::malloc(size);
    if (size == 0) {
        free(block);
        return nullptr;
    }
    void* moved = std::malloc(size);
    if (moved == nullptr) return nullptr;
    const std::size_t old_size = malloc_usable_size(block);
    std::memcpy(moved, block, old_size < size ? old_size : size);
    free(block);
    return moved;
}
