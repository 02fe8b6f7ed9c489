// Writes the seed inputs of fuzz_account_record and fuzz_wizard_state (valid serialised records
// and wizard states, with correct checksums, plus the trailers those targets read) into
// <dir>/fuzz_account_record/ and <dir>/fuzz_wizard_state/. Deterministic: a fixed "random"
// source, fixed times, 1,000 PBKDF2 iterations (the minimum) so that backup codes stay fast.
//
//     clang++ -std=c++20 -O1 -Iinclude fuzz/make_seed_corpus.cpp -o build/fuzz/make_seed_corpus
//     build/fuzz/make_seed_corpus fuzz/corpus
//
// Trailers (after a NUL byte, which a record never contains):
//   fuzz_account_record: 8 bytes Unix time (little-endian int64), a mode byte, the typed input;
//   fuzz_wizard_state:   8 bytes Unix time (little-endian int64), then operation bytes.
// See the two targets for what the bytes mean.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>

#include <twofactor/account.hpp>
#include <twofactor/enrollment_wizard.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;
using namespace std::chrono_literals;

namespace {

// The fixed random sequence of this target (fuzz_support::fixed_random: never for secrets).
constexpr std::uint64_t fixed_seed = 0x9E3779B97F4A7C15u;

using app_totp = tf::totp<tf::sha1, 6, 30s>;
using wizard = tf::enrollment_wizard<app_totp>;
constexpr std::uint32_t iterations = tf::min_backup_code_iterations;
constexpr std::int64_t now = 1'700'000'000;  // 2023-11-14

std::filesystem::path root;

template <class T>
T must(tf::result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "make_seed_corpus: %s failed: %s\n", what, tf::describe(r.error()).data());
        std::exit(1);
    }
    return std::move(*r);
}
template <class T, class E>
T must(tf::result<T, E> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "make_seed_corpus: %s failed\n", what);
        std::exit(1);
    }
    return std::move(*r);
}

std::string time_bytes(std::int64_t t) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[static_cast<std::size_t>(i)] = static_cast<char>(static_cast<std::uint64_t>(t) >> (8 * i));
    return bytes;
}

void write(const std::string& target, const std::string& name, const std::string& content) {
    const auto dir = root / target;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary) << content;
    std::printf("%s/%s (%zu bytes)\n", target.c_str(), name.c_str(), content.size());
}

std::string account_input(const std::string& record, std::int64_t t, char mode, std::string_view typed) {
    return record + '\0' + time_bytes(t) + mode + std::string(typed);
}

std::string wizard_input(const std::string& state, std::int64_t t, std::string_view ops) {
    return state + '\0' + time_bytes(t) + std::string(ops);
}

std::chrono::sys_seconds at(std::int64_t t) { return std::chrono::sys_seconds{std::chrono::seconds{t}}; }

void account_seeds() {
    fuzz_support::fixed_random rng{fixed_seed};
    const std::string target = "fuzz_account_record";

    // TOTP, SHA1, 10 SHA-256 backup codes; typed: the right code now, and a backup code.
    const auto key = must(tf::secret::generate(20, rng), "secret");
    const auto uri = must(tf::otpauth_uri::make("ACME Co", "alice@example.com", key), "uri");
    const auto fresh10 = must(tf::backup_code_set<10>::generate(rng, iterations), "backup codes");
    const auto totp = must(tf::account_record<10>::create(uri, fresh10.set, 0, std::nullopt), "record");
    const std::string code = std::string(app_totp{key.reveal_bytes()}.code_at(at(now)).value().view());
    write(target, "totp_right_code", account_input(totp.serialize(), now, 0, code));
    const auto grouped = fresh10.codes[3].reveal_grouped();
    write(target, "totp_backup_code",
          account_input(totp.serialize(), now, 0, std::string_view(grouped.data(), grouped.size())));
    write(target, "totp_plain_record", totp.serialize());

    // After six wrong codes: failures, a lockout, a revision; typed during the lockout.
    auto locked = totp;
    for (int i = 0; i < 6; ++i) locked = tf::login(locked, "000000", at(now + i)).record;
    write(target, "totp_locked", account_input(locked.serialize(), now + 10, 0, "123 456"));

    // Backup code used once already (used flag, last-step set by a code login first).
    auto used = tf::login(totp, code, at(now)).record;
    used = tf::login(used, std::string_view(grouped.data(), grouped.size()), at(now + 1)).record;
    write(target, "totp_used_backup_code",
          account_input(used.serialize(), now + 1, 0, std::string_view(grouped.data(), grouped.size())));

    // HOTP, SHA256, 8 digits, one SHA-1 backup code; mode 1: the harness types the right code.
    tf::otpauth_parameters hotp_parameters;
    hotp_parameters.type = tf::otp_type::hotp;
    hotp_parameters.hash = tf::algorithm::sha256;
    hotp_parameters.digits = 8;
    hotp_parameters.counter = 41;
    const auto hotp_key = must(tf::secret::generate(32, rng), "secret");
    const auto hotp_uri = must(tf::otpauth_uri::make("", "bob", hotp_key, hotp_parameters), "uri");
    const auto fresh1 = must(tf::backup_code_set<1, tf::sha1>::generate(rng, iterations), "backup codes");
    const auto hotp = must(tf::account_record<1, tf::sha1>::create(hotp_uri, fresh1.set), "record");
    write(target, "hotp_right_code", account_input(hotp.serialize(), now, 1, ""));
    const auto grouped1 = fresh1.codes[0].reveal_grouped();
    write(target, "hotp_backup_code",
          account_input(hotp.serialize(), now, 0, std::string_view(grouped1.data(), grouped1.size())));

    // TOTP, SHA512, 9 digits, 60 s, negative T0, last step set, one code.
    tf::otpauth_parameters p512;
    p512.hash = tf::algorithm::sha512;
    p512.digits = 9;
    p512.period = 60;
    const auto key512 = must(tf::secret::generate(64, rng), "secret");
    const auto uri512 = must(tf::otpauth_uri::make("Caf\xc3\xa9 & Co", "m\xc3\xbcller", key512, p512), "uri");
    const auto fresh1b = must(tf::backup_code_set<1, tf::sha1>::generate(rng, iterations), "backup codes");
    const auto r512 =
        must(tf::account_record<1, tf::sha1>::create(uri512, fresh1b.set, -3600, 28'333'390), "record");
    write(target, "totp_sha512_right_code", account_input(r512.serialize(), now, 1, ""));
}

void wizard_seeds() {
    fuzz_support::fixed_random rng{fixed_seed};
    const std::string target = "fuzz_wizard_state";
    tf::wizard_policy policy;
    policy.backup_code_iterations = iterations;

    auto w = must(wizard::start("ACME Co", "alice@example.com", rng, policy), "start");
    // Operations (see fuzz_wizard_state.cpp): 0 next (0x80 back), 1 right code, 3 cancel,
    // 4 finish, 5 qr.
    write(target, "show_secret_to_finish",
          wizard_input(w.serialize(), now, std::string("\x05\x00\x1d\x01\x04", 5)));
    (void)w.next();
    write(target, "verify_setup_wrong_codes",
          wizard_input(w.serialize(), now,
                       std::string("\x02\x06"
                                   "123456\x02\x07"
                                   "654 321\x01",
                                   18)));
    write(target, "verify_setup_back_and_next",
          wizard_input(w.serialize(), now,
                       std::string("\x02\x06"
                                   "123456\x80\x05\x00\x06\x01\x04",
                                   14)));
    const auto key = w.enrollment().value().key();
    const auto code = app_totp{key.reveal_bytes()}.code_at(at(now)).value();
    if (!w.submit_code(code.view(), at(now), rng)) {
        std::fprintf(stderr, "make_seed_corpus: submit_code failed\n");
        std::exit(1);
    }
    write(target, "backup_codes_finish", wizard_input(w.serialize(), now, std::string("\x06\x04", 2)));
    (void)must(w.finish(), "finish");
    write(target, "finished", wizard_input(w.serialize(), now, std::string("\x06\x00\x04", 3)));

    policy.max_setup_attempts = 1;
    policy.window = {0, 2};
    auto a = must(wizard::start("", "bob", rng, policy), "start");
    (void)a.next();
    write(target, "verify_setup_last_attempt",
          wizard_input(a.serialize(), now,
                       std::string("\x02\x06"
                                   "000000",
                                   8)));
    (void)a.submit_code("000000", at(now), rng);
    write(target, "aborted", wizard_input(a.serialize(), now, std::string("\x00\x03", 2)));

    auto c = must(wizard::start("Example", "carol", rng, policy), "start");
    (void)c.cancel();
    write(target, "cancelled", c.serialize());

    const auto record = must(w.record(), "record");
    auto r = must(wizard::reconfigure(record, rng, policy), "reconfigure");
    write(target, "reconfigure_show_secret",
          wizard_input(r.serialize(), now + 100, std::string("\x00\x07\x05\x01\x04", 5)));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seed_corpus <corpus directory>\n");
        return 2;
    }
    root = argv[1];
    account_seeds();
    wizard_seeds();
    return 0;
}
