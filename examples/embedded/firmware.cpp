// A firmware-shaped translation unit: twofactor on a Cortex-M microcontroller with no operating
// system, no heap, no exceptions and no RTTI. Built and measured by tools/build-embedded.sh:
//
//     arm-none-eabi-g++ -std=c++20 -mcpu=cortex-m4 -mthumb -Os -fno-exceptions -fno-rtti
//         -ffunction-sections -fdata-sections -Iinclude examples/embedded/firmware.cpp
//         -Wl,--gc-sections --specs=nano.specs --specs=nosys.specs -o firmware.elf
//
// What a device needs to provide, and where it goes in this file:
//   1. A clock counting seconds since the Unix epoch: `rtc_clock` below, a standard chrono clock
//      over the board's real-time counter (here the global `rtc_counter`, which stands in for a
//      register such as STM32's RTC_CNT). twofactor's `otp_clock` concept accepts it.
//   2. A cryptographically strong random source for new secrets: `callback_random` around
//      `trng_read_word`, which stands in for the TRNG data register. THE STAND-IN IS NOT RANDOM:
//      on a real board read the TRNG peripheral there (and check its error flags).
//   3. Optionally, what a broken precondition does: TWOFACTOR_ASSERT is defined below, before the
//      first twofactor header, to call the firmware's fault handler instead of printing to
//      stderr (which would pull newlib's stdio into the image).
//
// Three images come from this one file (FIRMWARE_IMAGE, see tools/build-embedded.sh):
//   full (default)   enrolment (secret, otpauth:// URI into a fixed buffer, QR code matrix with
//                    basic_qr_code<10>, setup code) and verification of a TOTP code, with a
//                    self-check against the RFC 6238 test vector; main returns 0 when all is well;
//   verify_only      only the verification of a code typed on the keypad against a secret kept
//                    in flash: what a device that is enrolled elsewhere carries;
//   baseline         the same inputs, no twofactor: the start-up code and C library every image
//                    shares, subtracted from verify_only to give the size of the verify path.
// With FIRMWARE_HOST_BUILD the full image also builds for the host (g++), where main prints what
// it checked, so that the same code is run and not only compiled.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ratio>
#include <span>
#include <string_view>

#if defined(FIRMWARE_HOST_BUILD)
#include <cstdio>
#include <cstdlib>
#endif

// ---- 3. The fault handler (before any twofactor header) ---------------------------------------

/// Called on a broken precondition (never on bad input: that is an errc). A real firmware logs
/// `message` to its crash record and resets.
[[noreturn]] void firmware_fault(const char* message) noexcept;

#define TWOFACTOR_ASSERT(condition, message) ((condition) ? static_cast<void>(0) : ::firmware_fault(message))

#include <twofactor/twofactor.hpp>

#if defined(FIRMWARE_HOST_BUILD)
[[noreturn]] void firmware_fault(const char* message) noexcept {
    std::fprintf(stderr, "firmware fault: %s\n", message);
    std::abort();
}
#else
[[noreturn]] void firmware_fault(const char*) noexcept {
    for (;;) {
        // A real firmware: record the fault, then NVIC_SystemReset().
    }
}
#endif

using namespace std::chrono_literals;

namespace {

// ---- 1. The clock ------------------------------------------------------------------------------

/// Stands in for the RTC counter register: Unix seconds, set from the network or by the user.
/// `volatile` like a memory-mapped register, so the compiler reads it every time.
volatile std::uint32_t rtc_counter = 0;

/// A std::chrono clock over the RTC: the standard members, time since the Unix epoch in seconds.
/// (A 32-bit unsigned counter of Unix seconds lasts until 2106.)
struct rtc_clock {
    using rep = std::int64_t;
    using period = std::ratio<1>;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<rtc_clock>;
    static constexpr bool is_steady = false;

    static time_point now() noexcept { return time_point{duration{rtc_counter}}; }
};
static_assert(twofactor::otp_clock<rtc_clock>);

/// The device's TOTP: SHA-1, 6 digits, 30 s steps, read off the RTC. What every authenticator
/// app supports.
using device_totp = twofactor::totp<twofactor::sha1, 6, 30s, rtc_clock>;

// ---- The verify path ---------------------------------------------------------------------------

/// What the device keeps per enrolled user (in flash or battery-backed RAM): the secret bytes and
/// the last accepted time step, so that a code cannot be used twice.
struct device_account {
    std::span<const std::byte> key;
    std::optional<std::uint64_t> last_accepted_step;
};

#if !defined(FIRMWARE_IMAGE_BASELINE)
/// Verifies a code typed on the keypad against the RTC's time, one step of clock drift either
/// way, and refuses replays. Kept out of line so that the size of the verify path can be read
/// off the image (tools/build-embedded.sh).
[[gnu::noinline]] bool verify_code(device_account& account, std::string_view typed) noexcept {
    const device_totp generator{account.key};
    const auto match =
        generator.verify_now(typed, twofactor::verify_window{1, 1}, account.last_accepted_step);
    if (!match) return false;  // match.error(): wrong_code, replayed_code, malformed_code, ...
    account.last_accepted_step = match->step;
    return true;
}
#endif

/// Stands in for the keypad driver's input buffer.
volatile char keypad_buffer[6] = {'0', '0', '5', '9', '2', '4'};

std::array<char, 6> read_keypad() noexcept {
    std::array<char, 6> typed{};
    for (std::size_t i = 0; i < typed.size(); ++i) typed[i] = keypad_buffer[i];
    return typed;
}

/// Stands in for a secret stored in flash at enrolment: RFC 6238's SHA-1 key "12345678901234567890".
constexpr std::array<std::byte, 20> flash_key = [] {
    std::array<std::byte, 20> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::byte>('0' + (i + 1) % 10);
    return key;
}();

}  // namespace

#if defined(FIRMWARE_IMAGE_VERIFY_ONLY) || defined(FIRMWARE_IMAGE_BASELINE)

/// The device's account, restored from flash at boot.
device_account stored_account{flash_key, std::nullopt};

int main() {
    rtc_counter = 1234567890;  // RFC 6238 §B: at this time the key's code is 005924
    const std::array<char, 6> typed = read_keypad();
#if defined(FIRMWARE_IMAGE_VERIFY_ONLY)
    return verify_code(stored_account, std::string_view(typed.data(), typed.size())) ? 0 : 1;
#else
    // The same inputs, read and combined so that none of them is optimised away; no twofactor.
    unsigned mix = rtc_counter + static_cast<unsigned>(stored_account.key.size());
    for (const char c : typed) mix += static_cast<unsigned char>(c);
    return mix == 0 ? 1 : 0;
#endif
}

#else  // the full image: enrolment and verification

namespace {

// ---- 2. The random source ----------------------------------------------------------------------

/// STAND-IN for the TRNG data register (e.g. STM32 RNG->DR after checking RNG->SR.DRDY, SECS and
/// CECS). A xorshift generator is NOT random: it only lets this example run anywhere. Put the
/// real peripheral read here; on a hardware error return false and no secret is made.
bool trng_read_word(std::uint32_t& word) noexcept {
    static std::uint32_t state = 0x6d2b79f5u;
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    word = state;
    return true;
}

/// The random source twofactor draws secrets from: the TRNG, a word at a time.
bool trng_fill(std::span<std::byte> out) noexcept {
    std::size_t done = 0;
    while (done < out.size()) {
        std::uint32_t word = 0;
        if (!trng_read_word(word)) return false;
        for (int shift = 0; shift < 32 && done < out.size(); shift += 8)
            out[done++] = static_cast<std::byte>(word >> shift);
    }
    return true;
}

/// Overwrites a buffer that held the secret (the URI text), in a way the compiler keeps.
void wipe(std::span<char> buffer) noexcept {
    volatile char* bytes = buffer.data();
    for (std::size_t i = 0; i < buffer.size(); ++i) bytes[i] = 0;
}

// ---- Enrolment ---------------------------------------------------------------------------------

/// The QR code as the display driver wants it: 1 bit per module, rows of 57 bits (version 10).
using device_qr_code = twofactor::basic_qr_code<10>;
constexpr int framebuffer_side = device_qr_code::max_size;
std::array<std::uint8_t, (framebuffer_side * framebuffer_side + 7) / 8> qr_framebuffer{};
int qr_side = 0;

/// The setup code shown under the QR code ("JBSW Y3DP ..."), for users who cannot scan.
std::array<char, 40> setup_code_text{};
std::size_t setup_code_size = 0;

/// What enrolment keeps: the new secret (to be written to flash once the user has proved, with
/// a first code, that the app has it).
twofactor::secret enrolled_secret;

/// Enrolment: a new 160-bit secret from the TRNG, its otpauth:// URI in a fixed buffer, the QR
/// code of the URI in the framebuffer and the setup code. Returns false on any failure.
bool enroll(std::string_view issuer, std::string_view account) noexcept {
    twofactor::callback_random trng{trng_fill};
    auto key = twofactor::secret::generate(twofactor::algorithm::sha1, trng);
    if (!key) return false;  // errc::random_source_failed: the TRNG reported an error

    const auto uri = twofactor::otpauth_uri::make(issuer, account, *key);
    if (!uri) return false;            // e.g. errc::invalid_label
    std::array<char, 192> uri_text{};  // plenty for short names and a 20-byte secret
    const auto uri_size = uri->reveal_uri(uri_text);
    if (!uri_size) return false;  // errc::output_too_small: longer names need a larger buffer

    // At most version 10 (57 x 57 modules): room for about 170 bytes at level M.
    const auto qr = device_qr_code::encode_text(std::string_view(uri_text.data(), *uri_size));
    wipe(uri_text);
    if (!qr) return false;  // errc::qr_data_too_long

    qr_framebuffer.fill(0);
    qr_side = qr->size();
    for (int y = 0; y < qr_side; ++y) {
        for (int x = 0; x < qr_side; ++x) {
            if (!qr->module(x, y)) continue;
            const int bit = y * framebuffer_side + x;
            qr_framebuffer[static_cast<std::size_t>(bit / 8)] |= static_cast<std::uint8_t>(1u << (bit % 8));
        }
    }

    const auto setup_code = key->reveal_setup_code(setup_code_text);
    if (!setup_code) return false;
    setup_code_size = *setup_code;

    enrolled_secret = *key;
    return true;
}

#if defined(FIRMWARE_HOST_BUILD)
void report(const char* what, bool ok) { std::printf("firmware: %-72s %s\n", what, ok ? "ok" : "FAILED"); }
#else
void report(const char*, bool) {}
#endif

}  // namespace

int main() {
    bool ok = true;
    auto check = [&ok](const char* what, bool passed) {
        report(what, passed);
        ok = ok && passed;
    };

    // Self-check of the verify path with the RFC 6238 §B vector (SHA-1, T = 1234567890).
    rtc_counter = 1234567890;
    device_account rfc_account{flash_key, std::nullopt};
    const std::array<char, 6> typed = read_keypad();  // "005924"
    const std::string_view code(typed.data(), typed.size());
    check("RFC 6238 code 005924 accepted at T = 1234567890", verify_code(rfc_account, code));
    check("accepted step recorded (41152263)", rfc_account.last_accepted_step == 41152263u);
    check("the same code refused a second time (replay)", !verify_code(rfc_account, code));
    rtc_counter = 1234567890 + 30;  // one step later: still inside the window, still a replay
    check("the same code refused one step later (replay)", !verify_code(rfc_account, code));
    device_account fresh_account{flash_key, std::nullopt};
    check("a wrong code (005925) refused", !verify_code(fresh_account, "005925"));
    check("a malformed code (00592) refused", !verify_code(fresh_account, "00592"));
    rtc_counter = 1234567890 + 90;  // three steps later: outside the window
    check("the right code refused three steps later", !verify_code(fresh_account, code));

    // Enrolment with the TRNG, then the first code from the user's app.
    rtc_counter = 1767225600;  // 2026-01-01T00:00:00Z
    check("enrolment: secret, otpauth URI, QR code (version <= 10), setup code",
          enroll("ACME Devices", "door-lock-42"));
    check("enrolment: QR code drawn (version 1..10)", qr_side >= 21 && qr_side <= framebuffer_side);
    check("enrolment: setup code of 32 base32 characters in groups of four", setup_code_size == 39);
    const auto from_setup_code =
        twofactor::secret::from_base32(std::string_view(setup_code_text.data(), setup_code_size));
    check("enrolment: the setup code decodes to the secret",
          from_setup_code.has_value() && *from_setup_code == enrolled_secret);

    // The authenticator app's side: the code it shows 20 s later, typed on the keypad.
    const device_totp app{enrolled_secret.reveal_bytes()};
    const auto app_code = app.code_now();
    rtc_counter = 1767225600 + 20;
    device_account enrolled{enrolled_secret.reveal_bytes(), std::nullopt};
    check("enrolment: the app's first code accepted",
          app_code.has_value() && verify_code(enrolled, app_code->view()));

#if defined(FIRMWARE_HOST_BUILD)
    std::printf("firmware: %s\n", ok ? "all checks passed" : "SOME CHECKS FAILED");
#endif
    return ok ? 0 : 1;
}

#endif
