// libFuzzer target: the account record's text form (account_record<N, H>::parse) and login().
//
// Input: RECORD [ NUL TIME MODE TYPED ]
//   RECORD  the text given to account_record<10>::parse and account_record<1, sha1>::parse;
//   TIME    8 bytes, the Unix time of the login (little-endian int64; missing bytes are 0);
//   MODE    1 byte: bits 0-1: 0 = log in with TYPED, 1 = with the right one-time code for TIME
//           (computed here; bits 2-5 step the HOTP counter ahead), 2 = with TYPED but backup
//           codes not accepted, 3 = with TYPED under a throttle policy taken from bits 2-7;
//   TYPED   the rest: what the user typed.
// A record cannot contain NUL (printable ASCII and '\n' only), so the split is unambiguous.
//
// Since random bytes never carry a valid SHA-256 checksum, RECORD is parsed twice: as it is,
// and with its checksum line replaced by the right one ("checksum-fixed"), so that mutations of
// the fields are parsed for real. Both go through the same checks.
//
// Invariants:
//   - failure: the error line is at most the number of lines + 1;
//   - success: serialize() writes exactly serialized_size() bytes, the input's lines (values
//     are canonical; fields may come in any order, serialize() writes them in its own), and
//     parsing that again gives an equal record;
//   - login: no crash; record_changed false => the record is returned unchanged; record_changed
//     => the revision is the old one + 1; a match resets failures and lockout; a wrong,
//     replayed or used code counts one failure; a lockout refuses without changing anything;
//     the new record serialises and parses back equal.
// Backup-code logins cost one PBKDF2 of the record's iteration count (up to 10^7): those with
// more than max_fuzz_iterations iterations are not attempted.
//
// FUZZ_VERBOSE=1 in the environment prints what each parse and login did.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include <twofactor/account.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;

namespace {

constexpr std::uint32_t max_fuzz_iterations = 2000;
// FUZZ_VERBOSE=1 in the environment: say what each parse and login did (to read a finding).
const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;

struct login_request {
    std::int64_t time = 0;
    unsigned mode = 0;
    std::string_view typed;
};

template <class Record>
std::string serialize(const Record& record) {
    FUZZ_CHECK(record.serialized_size() <= Record::max_serialized_size);
    return fuzz_support::serialize(record);
}

template <class Record>
void check_round_trip(const Record& record) {
    const std::string text = serialize(record);
    const auto again = Record::parse(text);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == record);
}

// The one-time code the record accepts at `now` (TOTP) or `ahead` counters after the expected
// one (HOTP); empty when there is none (a time before T0).
template <class Record>
std::string right_code(const Record& record, std::int64_t now, std::uint64_t ahead) {
    const tf::otpauth_uri& e = record.enrollment();
    const auto key = e.key().reveal_bytes();
    return tf::visit_algorithm(e.hash(), [&](auto hash) {
        using Hash = typename decltype(hash)::type;
        return tf::visit_digits(e.digits(), [&](auto d) -> std::string {
            constexpr unsigned D = decltype(d)::value;
            if (e.type() == tf::otp_type::totp) {
                const tf::dynamic_totp<Hash, D> generator{
                    key, tf::time_step{std::chrono::seconds{e.period()}}, record.t0()};
                const auto code = generator.code_at(std::chrono::sys_seconds{std::chrono::seconds{now}});
                return code ? std::string(code->view()) : std::string();
            }
            const std::uint64_t counter = record.next_counter() + ahead;  // wraps like the library's
            return std::string(tf::hotp<Hash, D>{key}.generate(counter).view());
        });
    });
}

template <class Record>
void check_login(const Record& record, const login_request& request) {
    tf::login_policy policy;
    std::string typed(request.typed);
    switch (request.mode & 3u) {
        case 1: typed = right_code(record, request.time, (request.mode >> 2) & 15u); break;
        case 2: policy.accept_backup_codes = false; break;
        case 3:
            policy.throttle.free_failures = (request.mode >> 2) & 7u;
            policy.throttle.first_lockout = std::chrono::seconds{(request.mode >> 5) * 1000};
            policy.throttle.max_lockout = std::chrono::seconds{std::numeric_limits<std::int64_t>::max()};
            break;
        default: break;
    }
    // A backup-code login runs PBKDF2 with the record's iteration count: skip expensive ones.
    if (tf::backup_code::parse(typed) && record.backup_codes().iterations() > max_fuzz_iterations) return;

    const auto now = std::chrono::sys_seconds{std::chrono::seconds{request.time}};
    const auto outcome = tf::login(record, typed, now, policy);
    const bool locked = record.locked_until() && now < *record.locked_until();
    if (verbose) {
        std::fprintf(stderr, "login at %lld with \"%s\": %s, record %s\n",
                     static_cast<long long>(request.time), typed.c_str(),
                     outcome.match ? std::string(tf::to_string(outcome.match->method)).c_str()
                                   : tf::describe(outcome.match.error()).data(),
                     outcome.record_changed ? "changed" : "unchanged");
    }
    if (!outcome.record_changed) {
        FUZZ_CHECK(outcome.record == record);
        FUZZ_CHECK(!outcome.match);
        if (locked) FUZZ_CHECK(outcome.match.error() == tf::errc::locked_out);
        return;
    }
    FUZZ_CHECK(!locked);
    const Record& next = outcome.record;
    FUZZ_CHECK(next.revision() == record.revision() + 1);
    FUZZ_CHECK(next.enrollment().issuer() == record.enrollment().issuer());
    FUZZ_CHECK(next.enrollment().account() == record.enrollment().account());
    FUZZ_CHECK(next.enrollment().key() == record.enrollment().key());
    if (outcome.match) {
        FUZZ_CHECK(next.consecutive_failures() == 0);
        FUZZ_CHECK(!next.locked_until() && !outcome.locked_until);
        const tf::login_match& m = *outcome.match;
        if (m.method == tf::login_method::backup_code) {
            FUZZ_CHECK(m.backup_code_index < Record::backup_codes_type::count);
            FUZZ_CHECK(next.backup_codes().used(m.backup_code_index));
            FUZZ_CHECK(!record.backup_codes().used(m.backup_code_index));
            FUZZ_CHECK(m.backup_codes_remaining + 1 == record.backup_codes().remaining());
        } else {
            FUZZ_CHECK(m.method == tf::login_method::one_time_code);
            if (record.enrollment().type() == tf::otp_type::totp) {
                FUZZ_CHECK(next.last_accepted_step() == m.step);
                FUZZ_CHECK(!record.last_accepted_step() || *record.last_accepted_step() < m.step);
                FUZZ_CHECK(m.offset >= -1 && m.offset <= 1);  // the default window {1, 1}
            } else {
                FUZZ_CHECK(m.step >= record.next_counter());
                FUZZ_CHECK(next.next_counter() == m.step + 1);
            }
            FUZZ_CHECK(next.backup_codes() == record.backup_codes());
        }
        // The same input again is refused (replay protection, single-use backup codes), unless
        // the same digits happen to be the code of a later step or counter too.
        const auto replay = tf::login(next, typed, now, policy);
        FUZZ_CHECK(!replay.match || (m.method == tf::login_method::one_time_code &&
                                     replay.match->method == m.method && replay.match->step > m.step));
    } else {
        const tf::errc e = outcome.match.error();
        FUZZ_CHECK(e == tf::errc::wrong_code || e == tf::errc::replayed_code ||
                   e == tf::errc::backup_code_used);
        const std::uint32_t failures = record.consecutive_failures();
        FUZZ_CHECK(next.consecutive_failures() ==
                   (failures == std::numeric_limits<std::uint32_t>::max() ? failures : failures + 1));
        FUZZ_CHECK(next.backup_codes() == record.backup_codes());
        FUZZ_CHECK(next.last_accepted_step() == record.last_accepted_step());
        FUZZ_CHECK(next.next_counter() == record.next_counter());
        // A new lockout is reported; an expired one may stay in the record, unreported.
        if (outcome.locked_until) FUZZ_CHECK(outcome.locked_until == next.locked_until());
        if (next.locked_until() && *next.locked_until() > now) FUZZ_CHECK(outcome.locked_until.has_value());
        if (outcome.locked_until) FUZZ_CHECK(*outcome.locked_until >= now);
    }
    check_round_trip(next);
}

template <class Record>
void check_record(std::string_view text, const login_request* request) {
    const auto record = Record::parse(text);
    if (verbose) {
        std::fprintf(
            stderr, "account_record<%zu, %s>::parse: %s (line %zu)\n", Record::backup_codes_type::count,
            std::string(Record::backup_codes_type::hash_type::name).c_str(),
            record ? "ok" : tf::describe(record.error().code).data(), record ? 0 : record.error().line);
    }
    if (!record) {
        FUZZ_CHECK(record.error().line <= fuzz_support::line_count(text) + 1);
        return;
    }
    const std::string written = serialize(*record);
    FUZZ_CHECK(fuzz_support::same_fields(written, text));
    const auto again = Record::parse(written);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *record);
    if (request != nullptr) check_login(*record, *request);
}

void check_text(std::string_view text, const login_request* request) {
    check_record<tf::account_record<10>>(text, request);
    check_record<tf::account_record<1, tf::sha1>>(text, request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string_view text = input.substr(0, nul);
    login_request request;
    const bool has_request = nul != std::string_view::npos;
    if (has_request) {
        std::string_view trailer = input.substr(nul + 1);
        std::uint64_t time = 0;
        for (std::size_t i = 0; i < 8 && i < trailer.size(); ++i)
            time |= std::uint64_t{static_cast<unsigned char>(trailer[i])} << (8 * i);
        request.time = static_cast<std::int64_t>(time);
        trailer.remove_prefix(trailer.size() < 8 ? trailer.size() : 8);
        if (!trailer.empty()) {
            request.mode = static_cast<unsigned char>(trailer.front());
            trailer.remove_prefix(1);
        }
        request.typed = trailer;
    }
    check_text(text, has_request ? &request : nullptr);
    const std::string fixed = fuzz_support::with_fixed_checksum(text);
    if (fixed != text) check_text(fixed, has_request ? &request : nullptr);
    return 0;
}
