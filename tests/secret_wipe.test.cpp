// Secrets are wiped where they lived: each object is built in a buffer of ours, destroyed, and the
// buffer is read back. Compiled at -O2 (tests/CMakeLists.txt) whatever the build type: a plain
// memset in a destructor is a dead store to the optimiser (the object's lifetime ends right after)
// and may be removed; detail::secure_wipe must survive that.
//
// Reading the storage of a destroyed object is what an attacker with a memory disclosure does;
// in C++ terms the buffer (std::byte storage) outlives the object and is read through a volatile
// pointer, so the reads are not optimised away either.
//
// Functions that keep secrets only in local variables (the QR encoder's working buffers) are
// checked the same way on the stack: after the call returns, the stack below the caller is read
// back through a large uninitialised array of a second call, which occupies the same memory.
#include <boost/test/unit_test.hpp>

#include <twofactor/twofactor.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace tf = twofactor;
using namespace std::chrono_literals;

namespace {

// The secret: 32 recognisable bytes, none of them zero.
constexpr std::array<std::byte, 32> key_bytes = [] {
    std::array<std::byte, 32> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::byte>(0xA0 + i);
    return key;
}();

// Storage for one T that outlives it.
template <class T>
struct storage_for {
    alignas(T) std::byte bytes[sizeof(T)];

    storage_for() { std::fill(std::begin(bytes), std::end(bytes), std::byte{0x55}); }

    // The bytes as they are now, read through volatile so that no read is elided.
    std::array<std::byte, sizeof(T)> snapshot() const {
        std::array<std::byte, sizeof(T)> copy{};
        const volatile std::byte* source = bytes;
        for (std::size_t i = 0; i < sizeof(T); ++i) copy[i] = source[i];
        return copy;
    }
};

// Where `needle` occurs in `haystack`, if it does.
bool contains(std::span<const std::byte> haystack, std::span<const std::byte> needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

// Builds a T in storage with `make`, checks that `needle` (the secret, or a state derived from it)
// is there while it lives, destroys it, and returns the bytes left behind.
template <class T, class Make>
std::array<std::byte, sizeof(T)> bytes_after_destruction(Make make, std::span<const std::byte> needle) {
    storage_for<T> storage;
    T* object = ::new (static_cast<void*>(storage.bytes)) T(make());
    const auto alive = storage.snapshot();
    BOOST_TEST_REQUIRE(contains(alive, needle), "positive control: the secret is in the live object");
    std::destroy_at(object);
    return storage.snapshot();
}

bool all_zero(std::span<const std::byte> bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

// The keyed inner state of HMAC-SHA-1 for key_bytes: what hmac, hotp and totp keep.
std::array<std::byte, 20> inner_state_bytes() {
    tf::detail::sha1_state state = tf::detail::sha1_initial_state;
    std::array<std::byte, 64> pad{};
    for (std::size_t i = 0; i < pad.size(); ++i)
        pad[i] = (i < key_bytes.size() ? key_bytes[i] : std::byte{0}) ^ std::byte{0x36};
    tf::detail::sha1_compress_portable(state, pad.data(), 1);
    std::array<std::byte, 20> raw{};
    std::memcpy(raw.data(), &state, raw.size());  // as stored in memory, native byte order
    return raw;
}

// Not a twofactor type: a key holder without a wipe, to show that the check sees leftovers.
struct unwiped_key {
    std::array<std::byte, 32> key = key_bytes;
};

// ---- The stack below the caller ----

// AddressSanitizer may move locals to a heap "fake stack": then the scan sees nothing.
#if defined(__SANITIZE_ADDRESS__)
#define SECRET_WIPE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SECRET_WIPE_TEST_ASAN 1
#endif
#endif

// Tells the optimiser that `object` is used (its stores must happen).
template <class T>
void keep(const T& object) {
    asm volatile("" : : "r"(&object) : "memory");
}

#if !defined(SECRET_WIPE_TEST_ASAN)  // what the stack scan needs (skipped under ASan)

// The bytes below the caller's frame as the calls made before left them: a second call's
// uninitialised array covers the memory of the frames of the earlier, deeper calls. (The copy
// is made by calls deeper still, below the array.)
[[gnu::noinline]] std::vector<std::byte> stack_left_below() {
    std::byte below[256 * 1024];                 // not initialised on purpose
    asm volatile("" : : "r"(below) : "memory");  // "may write it": no use of indeterminate values
    std::vector<std::byte> copy(sizeof below);
    const volatile std::byte* source = below;
    for (std::size_t i = 0; i < sizeof below; ++i) copy[i] = source[i];
    return copy;
}

// Control: a function that leaves `bytes` in a local array.
[[gnu::noinline]] void leave_on_the_stack(std::span<const std::byte> bytes) {
    std::array<std::byte, 64> local{};
    std::copy(bytes.begin(), bytes.end(), local.begin());
    keep(local);
}

// 32 lowercase letters: one byte-mode QR segment (no digits or capitals, which the encoder would
// put in numeric or alphanumeric segments).
constexpr std::string_view lowercase_secret = "kqzvwxjmhgfdsapoiuytrewqlkjhgfds";

// What a byte-mode segment of `data` (up to 255 bytes, versions 1-9) puts in the data codewords:
// the mode (4 bits) and the count (8 bits) come first, so every byte straddles two codewords.
// Codewords 2 .. n: each the low half of one byte and the high half of the next.
std::vector<std::byte> byte_segment_codewords(std::span<const std::byte> data) {
    std::vector<std::byte> out;
    for (std::size_t i = 1; i < data.size(); ++i) out.push_back((data[i - 1] << 4) | (data[i] >> 4));
    return out;
}

constexpr tf::qr_options single_block{.ecc = tf::qr_ecc::low, .boost_ecc = false};

[[gnu::noinline]] void encode_text_in_a_call() {
    const auto code = tf::qr_code::encode_text(lowercase_secret, single_block);
    BOOST_TEST_REQUIRE(code.has_value());
    keep(code);
}

[[gnu::noinline]] void encode_bytes_in_a_call() {
    const auto code = tf::qr_code::encode_bytes(key_bytes, single_block);
    BOOST_TEST_REQUIRE(code.has_value());
    keep(code);
}

#endif

}  // namespace

BOOST_AUTO_TEST_SUITE(secret_wipe)

BOOST_AUTO_TEST_CASE(control_a_key_holder_without_a_wipe_leaves_the_key_behind) {
    const auto left = bytes_after_destruction<unwiped_key>([] { return unwiped_key{}; }, key_bytes);
    BOOST_TEST(contains(left, key_bytes));
}

BOOST_AUTO_TEST_CASE(secret_is_zero_after_destruction) {
    const auto left = bytes_after_destruction<tf::secret>(
        [] { return tf::secret::from_bytes(key_bytes).value(); }, key_bytes);
    BOOST_TEST(all_zero(left));
}

BOOST_AUTO_TEST_CASE(moved_from_secret_is_zero) {
    storage_for<tf::secret> storage;
    auto* from =
        ::new (static_cast<void*>(storage.bytes)) tf::secret(tf::secret::from_bytes(key_bytes).value());
    tf::secret to(std::move(*from));
    BOOST_TEST(to.reveal_bytes().size() == key_bytes.size());
    BOOST_TEST(!contains(storage.snapshot(), key_bytes));
    std::destroy_at(from);
    BOOST_TEST(all_zero(storage.snapshot()));
}

BOOST_AUTO_TEST_CASE(hmac_key_state_is_zero_after_destruction) {
    const auto inner = inner_state_bytes();
    const auto left =
        bytes_after_destruction<tf::hmac<tf::sha1>>([] { return tf::hmac<tf::sha1>(key_bytes); }, inner);
    BOOST_TEST(all_zero(left));
}

BOOST_AUTO_TEST_CASE(totp_and_hotp_key_state_is_zero_after_destruction) {
    const auto inner = inner_state_bytes();
    using app_totp = tf::totp<tf::sha1, 6, 30s>;
    BOOST_TEST(all_zero(bytes_after_destruction<app_totp>([] { return app_totp(key_bytes); }, inner)));
    using counter_hotp = tf::hotp<tf::sha1, 6>;
    BOOST_TEST(
        all_zero(bytes_after_destruction<counter_hotp>([] { return counter_hotp(key_bytes); }, inner)));
}

BOOST_AUTO_TEST_CASE(plain_backup_code_is_zero_after_destruction) {
    const auto code = tf::backup_code::parse("7KQ4-XR2P-DM9A").value();
    const auto shown = code.reveal_grouped();
    const std::array<char, 4> first_group{shown[0], shown[1], shown[2], shown[3]};
    const auto left = bytes_after_destruction<tf::backup_code>(
        [&] { return code; }, std::as_bytes(std::span<const char>(first_group)));
    BOOST_TEST(all_zero(left));
}

BOOST_AUTO_TEST_CASE(qr_encoding_leaves_no_copy_of_the_data_on_the_stack) {
#if defined(SECRET_WIPE_TEST_ASAN)
    BOOST_TEST_MESSAGE("skipped under AddressSanitizer (locals may live on its fake stack)");
#else
    const auto text_bytes = std::as_bytes(std::span<const char>(lowercase_secret));
    const std::vector<std::byte> text_needle = byte_segment_codewords(text_bytes);
    const std::vector<std::byte> key_needle = byte_segment_codewords(key_bytes);
    // Control: the scan finds what a returned call left in its frame. (Each scan comes right
    // after the call: a BOOST_TEST in between would run over that memory itself.)
    leave_on_the_stack(text_needle);
    const std::vector<std::byte> after_control = stack_left_below();
    BOOST_TEST_REQUIRE(contains(after_control, text_needle), "control: the stack scan works");

    // The encoder's data codewords hold the text (shifted by a half byte), its interleaved
    // codewords too, and the unmasked matrix the placed codewords: all wiped when it returns.
    encode_text_in_a_call();
    const std::vector<std::byte> after_text = stack_left_below();
    BOOST_TEST(!contains(after_text, text_needle));
    BOOST_TEST(!contains(after_text, text_bytes));
    encode_bytes_in_a_call();
    const std::vector<std::byte> after_bytes = stack_left_below();
    BOOST_TEST(!contains(after_bytes, key_needle));
    BOOST_TEST(!contains(after_bytes, key_bytes));
#endif
}

BOOST_AUTO_TEST_SUITE_END()
