// Secrets are wiped where they lived: each object is built in a buffer of ours, destroyed, and the
// buffer is read back. Compiled at -O2 (tests/CMakeLists.txt) whatever the build type: a plain
// memset in a destructor is a dead store to the optimiser (the object's lifetime ends right after)
// and may be removed; detail::secure_wipe must survive that.
//
// Reading the storage of a destroyed object is what an attacker with a memory disclosure does;
// in C++ terms the buffer (std::byte storage) outlives the object and is read through a volatile
// pointer, so the reads are not optimised away either.
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
#include <utility>

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

BOOST_AUTO_TEST_SUITE_END()
