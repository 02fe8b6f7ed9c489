// The control of tests/cli_secret_residue.test.cpp: frees a heap copy of its argument unwiped,
// which the freed-memory scanner must report (else the test would prove nothing).
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const std::size_t size = std::strlen(argv[1]);
    auto* copy = static_cast<char*>(std::malloc(size + 1));
    if (copy == nullptr) return 1;
    std::memcpy(copy, argv[1], size + 1);
    volatile char sink = copy[0];  // the copy is used, so it is not optimised away
    (void)sink;
    std::free(copy);
    return 0;
}
