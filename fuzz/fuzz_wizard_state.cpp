// libFuzzer target: the enrollment wizard's stored state (enrollment_wizard<totp<sha1, 6, 30s>>
// ::parse) and the events that drive it.
//
// Input: STATE [ NUL TIME OPERATIONS ]
//   STATE       the text given to parse (a state never contains NUL);
//   TIME        8 bytes, the Unix time of the events (little-endian int64; missing bytes are 0);
//   OPERATIONS  the rest, at most max_operations events, each one byte b (b % 8):
//     0 next() (b < 128), back() (b >= 128)
//                                   1 submit_code(the right code at TIME)
//     2 submit_code(the next (following byte % 16) bytes)
//     3 cancel()                    4 finish()
//     5 qr() at level (b / 8) % 4    6 the queries: enrollment, setup code, attempts_left,
//                                     backup_codes, download_text, record
//     7 TIME += 30 s * (following byte as int8)
// The backup codes that a right code draws come from a fixed, deterministic source
// (opted in with twofactor::enable_random_source: fine for a fuzzer, never for secrets).
//
// As in fuzz_account_record, STATE is parsed as it is and with a corrected checksum line.
//
// Invariants:
//   - failure: the error line is at most the number of lines + 1;
//   - success: serialize() gives the input's lines (in its own order) and parses back equal;
//   - each event does what its step allows and nothing else: at the wrong step it fails with
//     wrong_wizard_step (setup_aborted once aborted) and changes nothing; next() goes from
//     show_secret to verify_setup and back() returns, keeping the secret and the attempts
//     left (a fresh wizard has them all); a wrong code uses one attempt (the last
//     one aborts); a right code moves to backup_codes with N distinct codes that the stored
//     set accepts; finish() gives the account record (its revision follows the replaced one,
//     its last step is the verified one) and moves to finished; cancel() works before finished;
//   - after every event the state serialises and parses back equal, and the account record
//     of a finished wizard round-trips through account_record::parse.
// Steps that would run PBKDF2 with more than max_fuzz_iterations iterations (a right code
// draws N codes) are skipped.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <twofactor/enrollment_wizard.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;
using namespace std::chrono_literals;

namespace {

// The fixed random sequence of this target (fuzz_support::fixed_random: never for secrets).
constexpr std::uint64_t fixed_seed = 0x243F6A8885A308D3u;

using app_totp = tf::totp<tf::sha1, 6, 30s>;
using wizard = tf::enrollment_wizard<app_totp>;
using account = wizard::account_type;

constexpr std::uint32_t max_fuzz_iterations = 2000;
constexpr std::size_t max_operations = 16;
// FUZZ_VERBOSE=1 in the environment: say what each parse and event did (to read a finding).
const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;

void check_round_trip(const wizard& w) {
    const std::string text = fuzz_support::serialize(w);
    const auto again = wizard::parse(text);
    if (!again && verbose) {
        std::fprintf(stderr, "re-parse failed: %s (line %zu)\n%s", tf::describe(again.error().code).data(),
                     again.error().line, text.c_str());
    }
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == w);
}

void check_account(const account& record, const wizard& w) {
    FUZZ_CHECK(record.revision() == (w.replaces_revision() ? *w.replaces_revision() + 1 : 0));
    FUZZ_CHECK(record.consecutive_failures() == 0 && !record.locked_until());
    FUZZ_CHECK(record.enrollment().parameters() == wizard::parameters);
    FUZZ_CHECK(record.last_accepted_step().has_value());
    FUZZ_CHECK(record.t0() == app_totp::epoch);
    const std::string text = fuzz_support::serialize(record);
    const auto again = account::parse(text);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == record);
}

// The error an event gives at a step that does not allow it.
tf::errc refusal(const wizard& w) {
    return w.step() == tf::wizard_step::aborted ? tf::errc::setup_aborted : tf::errc::wrong_wizard_step;
}

class driver {
public:
    driver(wizard w, std::int64_t time) : w_(std::move(w)), time_(time) {}

    void run(std::string_view operations) {
        for (std::size_t done = 0; done < max_operations && !operations.empty(); ++done) {
            const auto op = static_cast<unsigned char>(operations.front());
            operations.remove_prefix(1);
            const wizard before = w_;
            switch (op % 8) {
                case 0:
                    if (op < 128)
                        next(before);
                    else
                        back(before);
                    break;
                case 1: submit_right_code(before); break;
                case 2: {
                    std::size_t length = 0;
                    if (!operations.empty()) {
                        length = static_cast<unsigned char>(operations.front()) % 16;
                        operations.remove_prefix(1);
                    }
                    length = length < operations.size() ? length : operations.size();
                    submit(before, std::string(operations.substr(0, length)));
                    operations.remove_prefix(length);
                    break;
                }
                case 3: cancel(before); break;
                case 4: finish(before); break;
                case 5: qr(before, static_cast<tf::qr_ecc>((op / 8) % 4)); break;
                case 6: queries(); break;
                default: {
                    std::int64_t steps = 0;
                    if (!operations.empty()) {
                        steps = static_cast<std::int8_t>(operations.front());
                        operations.remove_prefix(1);
                    }
                    // Wrapping, like the 64-bit time the fuzzer may pick anyway.
                    time_ = static_cast<std::int64_t>(static_cast<std::uint64_t>(time_) +
                                                      static_cast<std::uint64_t>(steps * 30));
                    break;
                }
            }
            if (verbose) {
                std::fprintf(stderr, "op %u -> step %s\n", op % 8u,
                             std::string(tf::to_string(w_.step())).c_str());
            }
            check_round_trip(w_);
        }
    }

private:
    [[nodiscard]] std::chrono::sys_seconds now() const {
        return std::chrono::sys_seconds{std::chrono::seconds{time_}};
    }

    void refused(const tf::result<void>& r, const wizard& before) {
        FUZZ_CHECK(!r);
        FUZZ_CHECK(r.error() == refusal(before));
        FUZZ_CHECK(w_ == before);
    }

    void next(const wizard& before) {
        const auto r = w_.next();
        if (before.step() != tf::wizard_step::show_secret) return refused(r, before);
        FUZZ_CHECK(r.has_value());
        FUZZ_CHECK(w_.step() == tf::wizard_step::verify_setup);
        FUZZ_CHECK(w_.attempts_left() >= 1 && w_.attempts_left() <= w_.policy().max_setup_attempts);
        FUZZ_CHECK(*w_.enrollment() == *before.enrollment());
    }

    void back(const wizard& before) {
        const auto r = w_.back();
        if (before.step() != tf::wizard_step::verify_setup) return refused(r, before);
        FUZZ_CHECK(r.has_value());
        FUZZ_CHECK(w_.step() == tf::wizard_step::show_secret);
        FUZZ_CHECK(*w_.enrollment() == *before.enrollment());
        // Next again: the same page with the same attempts left.
        wizard again = w_;
        FUZZ_CHECK(again.next().has_value() && again == before);
    }

    void submit_right_code(const wizard& before) {
        if (before.step() != tf::wizard_step::verify_setup) return submit(before, "000000");
        const auto code = app_totp{before.enrollment()->key().reveal_bytes()}.code_at(now());
        if (!code) return submit(before, "000000");
        submit(before, std::string(code->view()));
    }

    void submit(const wizard& before, const std::string& code) {
        const bool at_step = before.step() == tf::wizard_step::verify_setup;
        // A right code draws the backup codes: N PBKDF2 runs of the policy's cost.
        if (at_step && before.policy().backup_code_iterations > max_fuzz_iterations) return;
        const auto r = w_.submit_code(code, now(), rng_);
        if (verbose) {
            std::fprintf(stderr, "submit_code(\"%s\"): %s\n", code.c_str(),
                         r ? "ok" : tf::describe(r.error()).data());
        }
        if (!at_step) return refused(r, before);
        if (r) {
            FUZZ_CHECK(w_.step() == tf::wizard_step::backup_codes);
            const auto codes = w_.backup_codes();
            FUZZ_CHECK(codes.has_value());
            for (std::size_t i = 0; i < codes->size(); ++i)
                for (std::size_t j = 0; j < i; ++j) FUZZ_CHECK(!((*codes)[i] == (*codes)[j]));
            // The stored set (in the record finish() gives) accepts the shown codes: check one.
            wizard copy = w_;
            const auto record = copy.finish();
            FUZZ_CHECK(record.has_value());
            auto set = record->backup_codes();
            const std::size_t pick = static_cast<std::size_t>(time_) % codes->size();
            const auto used = set.consume((*codes)[pick]);
            FUZZ_CHECK(used.has_value() && used->index == pick);
            FUZZ_CHECK(used->remaining == codes->size() - 1);
            return;
        }
        switch (r.error()) {
            case tf::errc::wrong_code:
                FUZZ_CHECK(w_.step() == tf::wizard_step::verify_setup);
                FUZZ_CHECK(w_.attempts_left() + 1 == before.attempts_left());
                break;
            case tf::errc::setup_aborted:
                FUZZ_CHECK(before.attempts_left() == 1);
                FUZZ_CHECK(w_.step() == tf::wizard_step::aborted);
                break;
            default:
                FUZZ_CHECK(r.error() == tf::errc::malformed_code ||
                           r.error() == tf::errc::time_before_epoch ||
                           r.error() == tf::errc::counter_overflow);
                FUZZ_CHECK(w_ == before);
                break;
        }
    }

    void cancel(const wizard& before) {
        const auto r = w_.cancel();
        if (before.step() >= tf::wizard_step::finished) return refused(r, before);
        FUZZ_CHECK(r.has_value());
        FUZZ_CHECK(w_.step() == tf::wizard_step::cancelled);
        FUZZ_CHECK(w_.policy() == before.policy() && w_.replaces_revision() == before.replaces_revision());
    }

    void finish(const wizard& before) {
        const auto r = w_.finish();
        if (before.step() != tf::wizard_step::backup_codes) {
            FUZZ_CHECK(!r && r.error() == refusal(before));
            FUZZ_CHECK(w_ == before);
            return;
        }
        FUZZ_CHECK(r.has_value());
        FUZZ_CHECK(w_.step() == tf::wizard_step::finished);
        const auto record = w_.record();
        FUZZ_CHECK(record.has_value() && *record == *r);
        check_account(*record, w_);
        FUZZ_CHECK(!w_.backup_codes());
    }

    void qr(const wizard& before, tf::qr_ecc ecc) {
        tf::qr_options options;
        options.ecc = ecc;
        const auto code = w_.qr(options);
        FUZZ_CHECK(w_ == before);
        const bool pending = before.step() <= tf::wizard_step::verify_setup;
        if (!pending) {
            FUZZ_CHECK(!code && code.error() == refusal(before));
            return;
        }
        // A URI of at most otpauth_uri::max_size (2,494) characters always fits version 40-L;
        // at higher levels it may not.
        if (!code) {
            FUZZ_CHECK(code.error() == tf::errc::qr_data_too_long);
            FUZZ_CHECK(ecc != tf::qr_ecc::low);
        } else {
            FUZZ_CHECK(code->size() == 17 + 4 * code->version());
            FUZZ_CHECK(static_cast<int>(code->ecc()) >= static_cast<int>(ecc));
        }
    }

    void queries() {
        const wizard before = w_;
        const tf::wizard_step step = w_.step();
        const bool pending = step <= tf::wizard_step::verify_setup;
        const auto enrollment = w_.enrollment();
        FUZZ_CHECK(enrollment.has_value() == pending);
        std::array<char, tf::secret::max_setup_code_size> setup{};
        const auto setup_size = w_.reveal_setup_code(setup);
        FUZZ_CHECK(setup_size.has_value() == pending);
        if (pending) {
            // The setup code reads back (leniently) as the pending secret.
            const auto key = tf::secret::from_base32(std::string_view(setup.data(), *setup_size));
            FUZZ_CHECK(key.has_value() && *key == enrollment->key());
        }
        FUZZ_CHECK((w_.attempts_left() > 0) == (step == tf::wizard_step::verify_setup));
        const bool codes_page = step == tf::wizard_step::backup_codes;
        FUZZ_CHECK(w_.backup_codes().has_value() == codes_page);
        const std::chrono::year_month_day date{std::chrono::year{2026}, std::chrono::month{2},
                                               std::chrono::day{28}};
        const auto size = w_.download_text_size(date);
        FUZZ_CHECK(size.has_value() == codes_page);
        if (size) {
            std::vector<char> text(*size);
            const auto n = w_.download_text(text, date);
            FUZZ_CHECK(n.has_value() && *n == *size);
        }
        const auto record = w_.record();
        FUZZ_CHECK(record.has_value() == (step == tf::wizard_step::finished));
        if (record) check_account(*record, w_);
        // The wizard's own new record is never the one it replaces (a different secret, or a
        // first enrollment that replaces nothing).
        if (record) {
            const auto successor = w_.record_replacing(*record);
            FUZZ_CHECK(!successor && successor.error() == tf::errc::record_replaced);
        }
        FUZZ_CHECK(w_ == before);
    }

    wizard w_;
    std::int64_t time_;
    fuzz_support::fixed_random rng_{fixed_seed};
};

void check_text(std::string_view text, const std::string_view* trailer) {
    const auto w = wizard::parse(text);
    if (verbose) {
        std::fprintf(stderr, "parse: %s (line %zu)\n", w ? "ok" : tf::describe(w.error().code).data(),
                     w ? 0 : w.error().line);
    }
    if (!w) {
        FUZZ_CHECK(w.error().line <= fuzz_support::line_count(text) + 1);
        return;
    }
    const std::string written = fuzz_support::serialize(*w);
    FUZZ_CHECK(fuzz_support::same_fields(written, text));
    check_round_trip(*w);
    if (trailer == nullptr) return;

    std::string_view rest = *trailer;
    std::uint64_t time = 0;
    for (std::size_t i = 0; i < 8 && i < rest.size(); ++i)
        time |= std::uint64_t{static_cast<unsigned char>(rest[i])} << (8 * i);
    rest.remove_prefix(rest.size() < 8 ? rest.size() : 8);
    driver(*w, static_cast<std::int64_t>(time)).run(rest);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string_view text = input.substr(0, nul);
    std::string_view trailer;
    if (nul != std::string_view::npos) trailer = input.substr(nul + 1);
    const std::string_view* operations = nul != std::string_view::npos ? &trailer : nullptr;
    check_text(text, operations);
    const std::string fixed = fuzz_support::with_fixed_checksum(text);
    if (fixed != text) check_text(fixed, operations);
    return 0;
}
