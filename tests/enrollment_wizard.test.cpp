// Tests of include/twofactor/enrollment_wizard.hpp: every step under every event (a table),
// the seed's flow (QR code and setup code, verification, backup codes and their download,
// finish, the record's replay guard), queries at the wrong step, reconfiguring an enabled
// account, disabling and enabling again, the strictness of the text form, value semantics
// without the heap, policy validation and random-source failures.
#include <boost/test/unit_test.hpp>

#include <twofactor/account_operations.hpp>
#include <twofactor/enrollment_wizard.hpp>
#include <twofactor/hash.hpp>
#include <twofactor/hotp.hpp>
#include <twofactor/otpauth_uri.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <new>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "support/test_random.hpp"
#include "support/test_support.hpp"

// ---- Heap accounting: the wizard's API (apart from the std::string overload of serialize)
// must not allocate. Every allocation of this test program goes through here; only those made
// while `counting_allocations` is set are counted.
namespace {
bool counting_allocations = false;
std::size_t counted_allocations = 0;
}  // namespace

// Not inlined: GCC would otherwise see free() of operator new's pointer (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t size) {
    if (counting_allocations) ++counted_allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
#if defined(__cpp_exceptions)
    throw std::bad_alloc();
#else
    std::abort();
#endif
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace tf = twofactor;
using namespace std::chrono_literals;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using tf::errc;
using tf::wizard_step;

using app_totp = tf::totp<tf::sha1, 6, 30s>;
using wizard = tf::enrollment_wizard<app_totp>;
using account = wizard::account_type;

// How Boost.Test prints the wizard's steps.
namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, wizard_step step) {
    return out << to_string(step);
}
inline std::ostream& boost_test_print_type(std::ostream& out, login_method method) {
    return out << "login_method " << static_cast<int>(method);
}
}  // namespace twofactor::inline v1

namespace {

using test_source = twofactor_test::splitmix_source;  // tests/support/test_random.hpp

// The lowest supported PBKDF2 cost keeps the sanitizer builds fast.
constexpr tf::wizard_policy test_policy{5, {1, 1}, tf::min_backup_code_iterations};
constexpr std::string_view issuer = "ACME Co";
constexpr std::string_view account_name = "alice@example.com";

// A manual clock: 2023-11-14T22:13:35Z, 5 s into step 56666667.
constexpr sys_seconds t_setup{seconds{1'700'000'015}};
constexpr std::uint64_t setup_step = 1'700'000'015 / 30;

std::string code_at(const tf::secret& key, sys_seconds t) {
    return std::string(app_totp{key.reveal_bytes()}.code_at(t).value().view());
}

// A well-formed code that no step of a ±1 window around `t` accepts.
std::string wrong_code_at(const tf::secret& key, sys_seconds t) {
    const std::array<std::string, 3> valid{code_at(key, t - 30s), code_at(key, t), code_at(key, t + 30s)};
    for (int i = 0;; ++i) {
        std::string candidate = std::to_string(100000 + i);
        if (std::find(valid.begin(), valid.end(), candidate) == valid.end()) return candidate;
    }
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// The secret of a wizard on one of the first two pages.
tf::secret key_of(const wizard& w) { return w.enrollment().value().key(); }

// A wizard at `step`, reached by the legal path from start() with deterministic sources (so the
// same seed always gives the same wizard).
wizard wizard_at(wizard_step step, std::uint64_t seed = 1, const tf::wizard_policy& policy = test_policy) {
    test_source rng{seed};
    auto w = wizard::start(issuer, account_name, rng, policy).value();
    if (step == wizard_step::show_secret) return w;
    if (step == wizard_step::cancelled) {
        BOOST_TEST_REQUIRE(w.cancel().has_value());
        return w;
    }
    const tf::secret key = key_of(w);
    BOOST_TEST_REQUIRE(w.next().has_value());
    if (step == wizard_step::verify_setup) return w;
    if (step == wizard_step::aborted) {
        const std::string wrong = wrong_code_at(key, t_setup);
        while (w.step() == wizard_step::verify_setup) (void)w.submit_code(wrong, t_setup, rng);
        return w;
    }
    BOOST_TEST_REQUIRE(w.submit_code(code_at(key, t_setup), t_setup, rng).has_value());
    if (step == wizard_step::backup_codes) return w;
    BOOST_TEST_REQUIRE(w.finish().has_value());
    return w;
}

constexpr std::array<wizard_step, 6> all_steps{wizard_step::show_secret,  wizard_step::verify_setup,
                                               wizard_step::backup_codes, wizard_step::finished,
                                               wizard_step::aborted,      wizard_step::cancelled};

// ---- The text form, taken apart and resealed with a valid checksum. ----

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        lines.emplace_back(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    }
    return lines;
}

// The checksum line of the record text `body` (every byte before the checksum line):
// SHA-256, lowercase hex.
std::string checksum_line(std::string_view body) {
    const auto bytes = twofactor_test::bytes_of(body);
    const auto digest = tf::hash<tf::sha256>(bytes);
    return "checksum " + twofactor_test::to_hex(digest.bytes) + "\n";
}

// The lines without their checksum line, joined and resealed.
std::string sealed(const std::vector<std::string>& lines_without_checksum) {
    std::string body;
    for (const std::string& line : lines_without_checksum) body += line + "\n";
    return body + checksum_line(body);
}

// The serialised wizard's lines without the checksum line.
std::vector<std::string> body_lines(const wizard& w) {
    auto lines = lines_of(w.serialize());
    BOOST_TEST_REQUIRE(lines.back().starts_with("checksum "));
    lines.pop_back();
    return lines;
}

// The index of the line that starts with "<name> ".
std::size_t index_of(const std::vector<std::string>& lines, std::string_view name) {
    const std::string prefix = std::string(name) + " ";
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].starts_with(prefix)) return i;
    BOOST_FAIL("no line " << name);
    return lines.size();
}

// ---- The table: every step under every event. ----

enum class event { next, back, right_code, wrong_code, malformed_code, finish, cancel, round_trip };
constexpr std::array<event, 8> all_events{event::next,       event::back,           event::right_code,
                                          event::wrong_code, event::malformed_code, event::finish,
                                          event::cancel,     event::round_trip};

std::ostream& operator<<(std::ostream& out, event e) {
    switch (e) {
        case event::next: return out << "next()";
        case event::back: return out << "back()";
        case event::right_code: return out << "submit_code(right code)";
        case event::wrong_code: return out << "submit_code(wrong code)";
        case event::malformed_code: return out << "submit_code(\"12ab56\")";
        case event::finish: return out << "finish()";
        case event::cancel: return out << "cancel()";
        case event::round_trip: return out << "parse(serialize())";
    }
    return out;
}

struct transition {
    wizard_step from;
    event on;
    wizard_step to;
    std::optional<errc> error;
};

constexpr wizard_step show = wizard_step::show_secret;
constexpr wizard_step verify = wizard_step::verify_setup;
constexpr wizard_step codes = wizard_step::backup_codes;
constexpr wizard_step finished = wizard_step::finished;
constexpr wizard_step aborted = wizard_step::aborted;
constexpr wizard_step cancelled = wizard_step::cancelled;
constexpr std::optional<errc> ok = std::nullopt;
constexpr errc illegal = errc::wrong_wizard_step;

// clang-format off
const transition transitions[] = {
    // from       event                  to         error
    {show,      event::next,           verify,    ok},
    {show,      event::back,           show,      illegal},
    {show,      event::right_code,     show,      illegal},
    {show,      event::wrong_code,     show,      illegal},
    {show,      event::malformed_code, show,      illegal},
    {show,      event::finish,         show,      illegal},
    {show,      event::cancel,         cancelled, ok},
    {show,      event::round_trip,     show,      ok},

    {verify,    event::next,           verify,    illegal},
    {verify,    event::back,           show,      ok},
    {verify,    event::right_code,     codes,     ok},
    {verify,    event::wrong_code,     verify,    errc::wrong_code},
    {verify,    event::malformed_code, verify,    errc::malformed_code},
    {verify,    event::finish,         verify,    illegal},
    {verify,    event::cancel,         cancelled, ok},
    {verify,    event::round_trip,     verify,    ok},

    {codes,     event::next,           codes,     illegal},
    {codes,     event::back,           codes,     illegal},
    {codes,     event::right_code,     codes,     illegal},
    {codes,     event::wrong_code,     codes,     illegal},
    {codes,     event::malformed_code, codes,     illegal},
    {codes,     event::finish,         finished,  ok},
    {codes,     event::cancel,         cancelled, ok},
    {codes,     event::round_trip,     codes,     ok},

    {finished,  event::next,           finished,  illegal},
    {finished,  event::back,           finished,  illegal},
    {finished,  event::right_code,     finished,  illegal},
    {finished,  event::wrong_code,     finished,  illegal},
    {finished,  event::malformed_code, finished,  illegal},
    {finished,  event::finish,         finished,  illegal},
    {finished,  event::cancel,         finished,  illegal},
    {finished,  event::round_trip,     finished,  ok},

    {aborted,   event::next,           aborted,   errc::setup_aborted},
    {aborted,   event::back,           aborted,   errc::setup_aborted},
    {aborted,   event::right_code,     aborted,   errc::setup_aborted},
    {aborted,   event::wrong_code,     aborted,   errc::setup_aborted},
    {aborted,   event::malformed_code, aborted,   errc::setup_aborted},
    {aborted,   event::finish,         aborted,   errc::setup_aborted},
    {aborted,   event::cancel,         aborted,   errc::setup_aborted},
    {aborted,   event::round_trip,     aborted,   ok},

    {cancelled, event::next,           cancelled, illegal},
    {cancelled, event::back,           cancelled, illegal},
    {cancelled, event::right_code,     cancelled, illegal},
    {cancelled, event::wrong_code,     cancelled, illegal},
    {cancelled, event::malformed_code, cancelled, illegal},
    {cancelled, event::finish,         cancelled, illegal},
    {cancelled, event::cancel,         cancelled, illegal},
    {cancelled, event::round_trip,     cancelled, ok},
};
// clang-format on

// Applies `e` to `w` at t_setup; round_trip replaces `w` by parse(serialize()) and checks
// that the text comes out the same.
tf::result<void> apply(wizard& w, event e, const tf::secret& key) {
    test_source rng{77};
    switch (e) {
        case event::next: return w.next();
        case event::back: return w.back();
        case event::right_code: return w.submit_code(code_at(key, t_setup), t_setup, rng);
        case event::wrong_code: return w.submit_code(wrong_code_at(key, t_setup), t_setup, rng);
        case event::malformed_code: return w.submit_code("12ab56", t_setup, rng);
        case event::finish: {
            const auto record = w.finish();
            if (!record) return tf::unexpected(record.error());
            return {};
        }
        case event::cancel: return w.cancel();
        case event::round_trip: {
            const std::string text = w.serialize();
            const auto parsed = wizard::parse(text);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST(parsed->serialize() == text);
            w = *parsed;
            return {};
        }
    }
    return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(enrollment_wizard)

BOOST_AUTO_TEST_CASE(the_table_has_every_step_under_every_event_once) {
    for (const wizard_step step : all_steps)
        for (const event e : all_events) BOOST_TEST_CONTEXT(to_string(step) << " / " << e) {
                const auto n =
                    std::count_if(std::begin(transitions), std::end(transitions),
                                  [&](const transition& t) { return t.from == step && t.on == e; });
                BOOST_TEST(n == 1);
            }
    BOOST_TEST(std::size(transitions) == all_steps.size() * all_events.size());
}

BOOST_AUTO_TEST_CASE(every_step_under_every_event) {
    const tf::secret key = key_of(wizard_at(show));
    for (const transition& t : transitions) {
        BOOST_TEST_CONTEXT(to_string(t.from) << " --" << t.on << "--> " << to_string(t.to)) {
            wizard w = wizard_at(t.from);
            BOOST_TEST_REQUIRE(w.step() == t.from);
            const wizard before = w;
            const auto done = apply(w, t.on, key);
            BOOST_TEST(w.step() == t.to);
            if (!t.error) {
                BOOST_TEST(done.has_value());
                if (t.on == event::round_trip) BOOST_TEST((w == before));
                continue;
            }
            BOOST_TEST_REQUIRE(!done.has_value());
            BOOST_TEST(done.error() == *t.error);
            if (*t.error != errc::wrong_code) {
                BOOST_TEST((w == before));  // nothing changed at all
                continue;
            }
            // One attempt used, nothing else: the wizard equals `before` with only its
            // attempts-left line decreased.
            BOOST_TEST(w.attempts_left() == before.attempts_left() - 1);
            auto lines = body_lines(before);
            lines[index_of(lines, "attempts-left")] =
                "attempts-left " + std::to_string(before.attempts_left() - 1);
            const auto expected = wizard::parse(sealed(lines));
            BOOST_TEST_REQUIRE(expected.has_value());
            BOOST_TEST((w == *expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(every_step_serialises_and_parses_to_an_equal_wizard) {
    for (const wizard_step step : all_steps) {
        BOOST_TEST_CONTEXT(to_string(step)) {
            const wizard w = wizard_at(step);
            BOOST_TEST((wizard_at(step) == w));  // deterministic sources: the same wizard
            const std::string text = w.serialize();
            BOOST_TEST(text.size() == w.serialized_size());
            BOOST_TEST(
                text.starts_with("twofactor-enrollment 2\nstep " + std::string(to_string(step)) + "\n"));
            const auto parsed = wizard::parse(text);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST((*parsed == w));
            BOOST_TEST(parsed->serialize() == text);
            BOOST_TEST(parsed->step() == step);
            BOOST_TEST(parsed->attempts_left() == w.attempts_left());

            // The span overload: exactly serialized_size() chars, output_too_small below it.
            std::vector<char> out(text.size());
            const auto written = w.serialize(out);
            BOOST_TEST_REQUIRE(written.has_value());
            BOOST_TEST(std::string_view(out.data(), *written) == text);
            const auto short_by_one = w.serialize(std::span<char>(out).first(text.size() - 1));
            BOOST_TEST_REQUIRE(!short_by_one.has_value());
            BOOST_TEST(short_by_one.error() == errc::output_too_small);
        }
    }
}

BOOST_AUTO_TEST_CASE(names_survive_the_text_form) {
    struct names {
        std::string_view issuer;
        std::string_view account;
    };
    for (const names n : {names{"", "alice"}, names{"Caf\xc3\xa9 & Co", "bob smith+2fa@example.com"},
                          names{"100% Pure", "o'brien"}}) {
        BOOST_TEST_CONTEXT('"' << n.issuer << "\" / \"" << n.account << '"') {
            test_source rng{91};
            wizard w = wizard::start(n.issuer, n.account, rng, test_policy).value();
            const tf::secret key = key_of(w);
            BOOST_TEST_REQUIRE(w.next().has_value());
            BOOST_TEST_REQUIRE(w.submit_code(code_at(key, t_setup), t_setup, rng).has_value());
            const auto parsed = wizard::parse(w.serialize());
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST((*parsed == w));
            std::array<char, 4096> text{};
            const auto size = parsed->download_text(text, std::chrono::year_month_day{2024y / 2 / 29});
            BOOST_TEST_REQUIRE(size.has_value());
            const std::string_view download(text.data(), *size);
            BOOST_TEST(contains(download, n.account));
            BOOST_TEST(contains(download, n.issuer));
            BOOST_TEST(contains(download, "2024-02-29"));
            const auto record = w.finish();
            BOOST_TEST_REQUIRE(record.has_value());
            BOOST_TEST(record->enrollment().issuer() == n.issuer);
            BOOST_TEST(record->enrollment().account() == n.account);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_flow_of_the_seed) {
    // Toggle on (the operating system's random source, as in production).
    auto started = wizard::start(issuer, account_name, test_policy);
    BOOST_TEST_REQUIRE(started.has_value());
    wizard w = *started;
    BOOST_TEST(w.step() == wizard_step::show_secret);
    BOOST_TEST(!w.replaces_revision().has_value());
    BOOST_TEST((w.policy() == test_policy));
    BOOST_TEST(w.attempts_left() == 0u);

    // Page 1: the QR code of the enrollment, and the setup code on request.
    const auto enrollment = w.enrollment();
    BOOST_TEST_REQUIRE(enrollment.has_value());
    BOOST_TEST(enrollment->issuer() == issuer);
    BOOST_TEST(enrollment->account() == account_name);
    BOOST_TEST((enrollment->type() == tf::otp_type::totp));
    BOOST_TEST((enrollment->hash() == tf::algorithm::sha1));
    BOOST_TEST(enrollment->digits() == 6u);
    BOOST_TEST(enrollment->period() == 30u);
    BOOST_TEST(enrollment->key().size() == 20u);  // recommended_secret_size<sha1>
    const std::string uri = enrollment->reveal_uri_string();
    BOOST_TEST(uri.starts_with("otpauth://totp/ACME%20Co:alice@example.com?"));
    BOOST_TEST(uri.find("algorithm=SHA1") != std::string::npos);
    BOOST_TEST(uri.find("digits=6") != std::string::npos);
    BOOST_TEST(uri.find("period=30") != std::string::npos);
    BOOST_TEST(uri.find("issuer=ACME%20Co") != std::string::npos);

    const auto qr = w.qr();
    BOOST_TEST_REQUIRE(qr.has_value());
    BOOST_TEST(qr->size() > 0);
    const auto again = tf::qr_code::encode_text(uri);
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST((*qr == *again));  // the QR code of exactly that URI

    std::array<char, tf::secret::max_setup_code_size> setup_code{};
    const auto setup_size = w.reveal_setup_code(setup_code);
    BOOST_TEST_REQUIRE(setup_size.has_value());
    const std::string_view shown(setup_code.data(), *setup_size);
    BOOST_TEST(shown.size() == 39u);  // 32 base32 characters in 8 groups of 4
    for (std::size_t i = 0; i < shown.size(); ++i) {
        BOOST_TEST_CONTEXT("setup code char " << i) {
            if (i % 5 == 4)
                BOOST_TEST(shown[i] == ' ');
            else
                BOOST_TEST(std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").find(shown[i]) !=
                           std::string_view::npos);
        }
    }
    const auto typed_in = tf::secret::from_base32(shown, tf::base32_mode::lenient);
    BOOST_TEST_REQUIRE(typed_in.has_value());
    BOOST_TEST((*typed_in == enrollment->key()));
    std::array<char, 38> too_small{};
    BOOST_TEST(w.reveal_setup_code(too_small).error() == errc::output_too_small);

    // "Next" -> "Verify Authentication Setup".
    BOOST_TEST_REQUIRE(w.next().has_value());
    BOOST_TEST(w.step() == wizard_step::verify_setup);
    BOOST_TEST(w.attempts_left() == test_policy.max_setup_attempts);
    BOOST_TEST((w.enrollment().value() == *enrollment));  // still shown while verifying
    BOOST_TEST(w.qr().has_value());

    const tf::secret key = enrollment->key();
    const auto wrong = w.submit_code(wrong_code_at(key, t_setup), t_setup);
    BOOST_TEST_REQUIRE(!wrong.has_value());
    BOOST_TEST(wrong.error() == errc::wrong_code);
    BOOST_TEST(w.step() == wizard_step::verify_setup);
    BOOST_TEST(w.attempts_left() == test_policy.max_setup_attempts - 1);

    // Running out of attempts (on a copy): the last wrong code aborts the setup.
    {
        wizard doomed = w;
        const std::string bad = wrong_code_at(key, t_setup);
        for (std::uint32_t left = doomed.attempts_left(); left > 1; --left) {
            BOOST_TEST(doomed.submit_code(bad, t_setup).error() == errc::wrong_code);
            BOOST_TEST(doomed.attempts_left() == left - 1);
        }
        BOOST_TEST(doomed.submit_code(bad, t_setup).error() == errc::setup_aborted);
        BOOST_TEST(doomed.step() == wizard_step::aborted);
        BOOST_TEST(doomed.attempts_left() == 0u);
        BOOST_TEST(doomed.submit_code(code_at(key, t_setup), t_setup).error() == errc::setup_aborted);
        BOOST_TEST(!doomed.enrollment().has_value());
        BOOST_TEST(!contains(doomed.serialize(), "secret "));  // the pending secret is gone
    }

    // The right code (the same wizard, one attempt used) -> the backup codes.
    const std::string right = code_at(key, t_setup);
    BOOST_TEST_REQUIRE(w.submit_code(right, t_setup).has_value());
    BOOST_TEST(w.step() == wizard_step::backup_codes);
    BOOST_TEST(w.attempts_left() == 0u);

    const auto shown_codes = w.backup_codes();
    BOOST_TEST_REQUIRE(shown_codes.has_value());
    BOOST_TEST(shown_codes->size() == 10u);
    std::vector<std::string> plain;
    for (const tf::backup_code& c : *shown_codes) {
        const auto grouped = c.reveal_grouped();
        plain.emplace_back(grouped.data(), grouped.size());
    }
    std::vector<std::string> sorted = plain;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST((std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()));  // distinct

    // "Download": issuer, account, the date and the 10 grouped codes.
    const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(t_setup)};
    const auto text_size = w.download_text_size(today);
    BOOST_TEST_REQUIRE(text_size.has_value());
    std::string download(*text_size, '\0');
    const auto written = w.download_text(download, today);
    BOOST_TEST_REQUIRE(written.has_value());
    BOOST_TEST(*written == *text_size);
    BOOST_TEST(contains(download, "ACME Co"));
    BOOST_TEST(contains(download, "alice@example.com"));
    BOOST_TEST(contains(download, "2023-11-14"));
    for (std::size_t i = 0; i < plain.size(); ++i) BOOST_TEST_CONTEXT("code " << i + 1) {
            BOOST_TEST(plain[i].size() == 14u);
            BOOST_TEST(contains(download, std::to_string(i + 1) + ". " + plain[i] + "\n"));
        }
    std::string short_buffer(*text_size - 1, '\0');
    BOOST_TEST(w.download_text(short_buffer, today).error() == errc::output_too_small);
    const auto no_such_day = std::chrono::year{2023} / std::chrono::February / 29;
    BOOST_TEST(w.download_text_size(no_such_day).error() == errc::invalid_date);
    BOOST_TEST(w.download_text(download, no_such_day).error() == errc::invalid_date);

    // "Finish": the record.
    const auto finished_record = w.finish();
    BOOST_TEST_REQUIRE(finished_record.has_value());
    BOOST_TEST(w.step() == wizard_step::finished);
    const auto record = w.record();
    BOOST_TEST_REQUIRE(record.has_value());
    BOOST_TEST((*record == *finished_record));
    BOOST_TEST((record->enrollment() == *enrollment));
    BOOST_TEST(record->revision() == 0u);
    BOOST_TEST(record->consecutive_failures() == 0u);
    BOOST_TEST(record->backup_codes().remaining() == 10u);
    BOOST_TEST(record->backup_codes().iterations() == tf::min_backup_code_iterations);
    BOOST_TEST_REQUIRE(record->last_accepted_step().has_value());
    BOOST_TEST(*record->last_accepted_step() == setup_step);
    // The stored record survives its own text form.
    const auto reparsed = account::parse(record->serialize());
    BOOST_TEST_REQUIRE(reparsed.has_value());
    BOOST_TEST((*reparsed == *record));

    // The verifying code cannot sign in again; the next step's code can.
    const auto replay = tf::login(*record, right, t_setup);
    BOOST_TEST_REQUIRE(!replay.match.has_value());
    BOOST_TEST(replay.match.error() == errc::replayed_code);
    const auto next_login = tf::login(*record, code_at(key, t_setup + 30s), t_setup + 30s);
    BOOST_TEST_REQUIRE(next_login.match.has_value());
    BOOST_TEST(next_login.match->method == tf::login_method::one_time_code);
    BOOST_TEST(next_login.match->step == setup_step + 1);

    // Each backup code signs in exactly once.
    account current = next_login.record;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        BOOST_TEST_CONTEXT("backup code " << i + 1) {
            const auto used = tf::login(current, plain[i], t_setup + 60s);
            BOOST_TEST_REQUIRE(used.match.has_value());
            BOOST_TEST(used.match->method == tf::login_method::backup_code);
            BOOST_TEST(used.match->backup_code_index == i);
            BOOST_TEST(used.match->backup_codes_remaining == plain.size() - 1 - i);
            current = used.record;
            const auto twice = tf::login(current, plain[i], t_setup + 60s);
            BOOST_TEST_REQUIRE(!twice.match.has_value());
            BOOST_TEST(twice.match.error() == errc::backup_code_used);
            current = twice.record;
        }
    }
    BOOST_TEST(current.backup_codes().remaining() == 0u);
}

// Back to the QR code from the verification page: same secret, and the wrong codes already
// typed still count, also through the text form.
BOOST_AUTO_TEST_CASE(back_keeps_the_secret_and_the_attempts_used) {
    wizard w = wizard_at(verify, 51);
    const tf::secret key = key_of(w);
    test_source rng{52};
    BOOST_TEST(w.submit_code(wrong_code_at(key, t_setup), t_setup, rng).error() == errc::wrong_code);
    BOOST_TEST(w.submit_code(wrong_code_at(key, t_setup), t_setup, rng).error() == errc::wrong_code);
    const std::uint32_t left = test_policy.max_setup_attempts - 2;
    BOOST_TEST(w.attempts_left() == left);

    BOOST_TEST_REQUIRE(w.back().has_value());
    BOOST_TEST(w.step() == wizard_step::show_secret);
    BOOST_TEST(w.attempts_left() == 0u);  // not on the verification page
    BOOST_TEST((key_of(w) == key));
    BOOST_TEST(w.qr().has_value());
    BOOST_TEST(w.back().error() == errc::wrong_wizard_step);
    const auto resumed = wizard::parse(w.serialize());
    BOOST_TEST_REQUIRE(resumed.has_value());
    BOOST_TEST((*resumed == w));
    w = *resumed;

    BOOST_TEST_REQUIRE(w.next().has_value());
    BOOST_TEST(w.attempts_left() == left);  // going back bought no attempts
    for (std::uint32_t i = 1; i < left; ++i) (void)w.submit_code(wrong_code_at(key, t_setup), t_setup, rng);
    BOOST_TEST(w.submit_code(wrong_code_at(key, t_setup), t_setup, rng).error() == errc::setup_aborted);
    BOOST_TEST(w.back().error() == errc::setup_aborted);

    // And a right code after a round trip through page 1 verifies as usual.
    wizard again = wizard_at(verify, 53);
    BOOST_TEST_REQUIRE(again.back().has_value());
    BOOST_TEST_REQUIRE(again.next().has_value());
    BOOST_TEST(again.attempts_left() == test_policy.max_setup_attempts);
    BOOST_TEST(again.submit_code(code_at(key_of(again), t_setup), t_setup, rng).has_value());
    BOOST_TEST(again.step() == wizard_step::backup_codes);
}

BOOST_AUTO_TEST_CASE(malformed_codes_cost_no_attempt_and_spaces_are_ignored) {
    wizard w = wizard_at(verify);
    const std::string right = code_at(key_of(w), t_setup);
    const wizard before = w;
    for (const std::string& typed : {right.substr(1), right + "0", std::string(""), std::string("+12345"),
                                     std::string("12ab56"), std::string(20, '7')}) {
        BOOST_TEST_CONTEXT('"' << typed << '"') {
            BOOST_TEST(w.submit_code(typed, t_setup).error() == errc::malformed_code);
            BOOST_TEST((w == before));
        }
    }
    // As apps display it ("123 456"), or with a trailing space, the code is accepted.
    for (const std::string& typed : {right.substr(0, 3) + " " + right.substr(3), right + " "}) {
        wizard copy = w;
        BOOST_TEST_CONTEXT('"' << typed << '"') {
            BOOST_TEST(copy.submit_code(typed, t_setup).has_value());
            BOOST_TEST((copy.step() == tf::wizard_step::backup_codes));
        }
    }
    // A time before T0: nothing changed either.
    BOOST_TEST(w.submit_code(right, sys_seconds{-1s}).error() == errc::time_before_epoch);
    BOOST_TEST((w == before));
    // Codes of the steps around now are accepted (window ±1); two steps away they are wrong.
    for (const auto offset : {-30s, 30s}) {
        wizard copy = w;
        BOOST_TEST(copy.submit_code(code_at(key_of(w), t_setup + offset), t_setup).has_value());
    }
    for (const auto offset : {-60s, 60s}) {
        wizard copy = w;
        const auto far = code_at(key_of(w), t_setup + offset);
        if (far == right || far == code_at(key_of(w), t_setup - 30s) ||
            far == code_at(key_of(w), t_setup + 30s))
            continue;  // a collision of codes: nothing to learn
        BOOST_TEST(copy.submit_code(far, t_setup).error() == errc::wrong_code);
    }
}

BOOST_AUTO_TEST_CASE(queries_at_the_wrong_step) {
    const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(t_setup)};
    std::array<char, tf::secret::max_setup_code_size> setup_code{};
    std::array<char, 4096> text{};
    for (const wizard_step step : all_steps) {
        BOOST_TEST_CONTEXT(to_string(step)) {
            const wizard w = wizard_at(step);
            const errc refused = step == aborted ? errc::setup_aborted : errc::wrong_wizard_step;
            const bool before_verification = step == show || step == verify;
            BOOST_TEST(w.enrollment().has_value() == before_verification);
            BOOST_TEST(w.qr().has_value() == before_verification);
            BOOST_TEST(w.reveal_setup_code(setup_code).has_value() == before_verification);
            if (!before_verification && step != aborted) {  // aborted: see the next test case
                BOOST_TEST(w.enrollment().error() == refused);
                BOOST_TEST(w.qr().error() == refused);
                BOOST_TEST(w.reveal_setup_code(setup_code).error() == refused);
            }
            BOOST_TEST(w.backup_codes().has_value() == (step == codes));
            BOOST_TEST(w.download_text_size(today).has_value() == (step == codes));
            BOOST_TEST(w.download_text(text, today).has_value() == (step == codes));
            if (step != codes) {
                BOOST_TEST(w.backup_codes().error() == refused);
                BOOST_TEST(w.download_text_size(today).error() == refused);
                BOOST_TEST(w.download_text(text, today).error() == refused);
            }
            BOOST_TEST(w.record().has_value() == (step == finished));
            if (step != finished) BOOST_TEST(w.record().error() == refused);
            BOOST_TEST(w.attempts_left() == (step == verify ? test_policy.max_setup_attempts : 0u));
        }
    }
}

// Once aborted, every refusal should say so (the class documentation: "errc::wrong_wizard_step
// (or errc::setup_aborted once aborted)"), as backup_codes(), download_text() and record() do.
BOOST_AUTO_TEST_CASE(queries_on_an_aborted_wizard_say_setup_aborted) {
    const wizard w = wizard_at(aborted);
    std::array<char, tf::secret::max_setup_code_size> setup_code{};
    BOOST_TEST(w.backup_codes().error() == errc::setup_aborted);
    BOOST_TEST(w.record().error() == errc::setup_aborted);
    BOOST_TEST(w.enrollment().error() == errc::setup_aborted);
    BOOST_TEST(w.qr().error() == errc::setup_aborted);
    BOOST_TEST(w.reveal_setup_code(setup_code).error() == errc::setup_aborted);
}

// ---- Reconfiguring an enabled account. ----

namespace {

struct enabled_account {
    account record;
    std::vector<std::string> backup_codes;
};

std::vector<std::string> plain_codes(const wizard& w) {
    std::vector<std::string> plain;
    const std::span<const tf::backup_code, 10> shown = w.backup_codes().value();
    for (const tf::backup_code& c : shown) {
        const auto grouped = c.reveal_grouped();
        plain.emplace_back(grouped.data(), grouped.size());
    }
    return plain;
}

// Runs `w` (on its first page) to the end, verifying at `t`.
enabled_account run_to_the_end(wizard w, sys_seconds t, std::uint64_t seed) {
    test_source rng{seed};
    const tf::secret key = key_of(w);
    BOOST_TEST_REQUIRE(w.next().has_value());
    BOOST_TEST_REQUIRE(w.submit_code(code_at(key, t), t, rng).has_value());
    std::vector<std::string> plain = plain_codes(w);
    const auto record = w.finish();
    BOOST_TEST_REQUIRE(record.has_value());
    return {*record, plain};
}

}  // namespace

BOOST_AUTO_TEST_CASE(reconfigure_keeps_the_current_record_working_until_it_is_replaced) {
    // R: enabled by a first run, then used once (revision 1).
    enabled_account first = run_to_the_end(wizard_at(show, 11), t_setup, 12);
    const tf::secret old_key = first.record.enrollment().key();
    const auto used_once = tf::login(first.record, code_at(old_key, t_setup + 30s), t_setup + 30s);
    BOOST_TEST_REQUIRE(used_once.match.has_value());
    const account R = used_once.record;
    BOOST_TEST(R.revision() == 1u);
    const account R_copy = R;

    const sys_seconds t = t_setup + 300s;  // ten steps later
    test_source rng{13};
    auto reconfigured = wizard::reconfigure(R, rng, test_policy);
    BOOST_TEST_REQUIRE(reconfigured.has_value());
    wizard w = *reconfigured;
    BOOST_TEST(w.step() == wizard_step::show_secret);
    BOOST_TEST((w.replaces_revision() == std::optional<std::uint64_t>(R.revision())));
    const tf::secret new_key = key_of(w);
    BOOST_TEST(!(new_key == old_key));
    BOOST_TEST(w.enrollment()->issuer() == R.enrollment().issuer());
    BOOST_TEST(w.enrollment()->account() == R.enrollment().account());

    const std::string old_code = code_at(old_key, t);
    const std::string new_code = code_at(new_key, t);
    BOOST_TEST_REQUIRE(new_code != old_code);  // the seeds are chosen so

    // Mid-wizard R works as before: its code and its backup codes, not the new code.
    auto check_R_still_works = [&](std::string_view where) {
        BOOST_TEST_CONTEXT("at " << where) {
            BOOST_TEST((R == R_copy));
            BOOST_TEST(tf::login(R, old_code, t).match.has_value());
            BOOST_TEST(tf::login(R, first.backup_codes[0], t).match.has_value());
            const auto with_new = tf::login(R, new_code, t);
            BOOST_TEST_REQUIRE(!with_new.match.has_value());
            BOOST_TEST(with_new.match.error() == errc::wrong_code);
        }
    };
    check_R_still_works("show-secret");
    BOOST_TEST_REQUIRE(w.next().has_value());
    check_R_still_works("verify-setup");
    // The old secret's code does not verify the new setup.
    BOOST_TEST(w.submit_code(old_code, t, rng).error() == errc::wrong_code);
    BOOST_TEST_REQUIRE(w.submit_code(new_code, t, rng).has_value());
    check_R_still_works("backup-codes");
    const std::vector<std::string> new_backup_codes = plain_codes(w);
    for (const std::string& c : new_backup_codes)
        BOOST_TEST(
            (std::find(first.backup_codes.begin(), first.backup_codes.end(), c) == first.backup_codes.end()));
    // Serialised mid-way (a web session), the replaced revision comes back.
    const auto resumed = wizard::parse(w.serialize());
    BOOST_TEST_REQUIRE(resumed.has_value());
    BOOST_TEST((*resumed == w));
    BOOST_TEST((resumed->replaces_revision() == std::optional<std::uint64_t>(R.revision())));
    w = *resumed;

    const auto replacement = w.finish();
    BOOST_TEST_REQUIRE(replacement.has_value());
    const account& N = *replacement;
    BOOST_TEST(N.revision() == R.revision() + 1);
    BOOST_TEST((w.replaces_revision() == std::optional<std::uint64_t>(R.revision())));
    BOOST_TEST((N.enrollment().key() == new_key));
    BOOST_TEST(N.enrollment().issuer() == R.enrollment().issuer());
    BOOST_TEST(N.enrollment().account() == R.enrollment().account());
    BOOST_TEST(N.consecutive_failures() == 0u);
    BOOST_TEST((N.last_accepted_step() == std::optional<std::uint64_t>(setup_step + 10)));
    BOOST_TEST((w.record().value() == N));

    // After the replacement: the new code signs in (the next step), the old code (of a fresh
    // step) and the old backup codes do not; the new backup codes do.
    BOOST_TEST(tf::login(N, new_code, t).match.error() == errc::replayed_code);
    const auto fresh = tf::login(N, code_at(new_key, t + 30s), t + 30s);
    BOOST_TEST_REQUIRE(fresh.match.has_value());
    BOOST_TEST(fresh.match->step == setup_step + 11);
    const std::string old_fresh = code_at(old_key, t + 60s);
    BOOST_TEST_REQUIRE(old_fresh != code_at(new_key, t + 30s));
    BOOST_TEST_REQUIRE(old_fresh != code_at(new_key, t + 60s));
    BOOST_TEST_REQUIRE(old_fresh != code_at(new_key, t + 90s));
    BOOST_TEST(tf::login(N, old_fresh, t + 60s).match.error() == errc::wrong_code);
    for (const std::string& c : first.backup_codes)
        BOOST_TEST(tf::login(N, c, t + 60s).match.error() == errc::wrong_code);
    BOOST_TEST(tf::login(N, new_backup_codes[3], t + 60s).match.has_value());
}

namespace {

// A finished reconfiguration `w`, whose own record is `made`, over each of `stored` (the record it
// started from, with only bookkeeping changed since): the record to store is `made` with the
// revision after the stored one.
void check_follows_bookkeeping(const wizard& w, const account& made,
                               std::initializer_list<const account*> stored) {
    for (const account* current : stored) {
        BOOST_TEST_CONTEXT("stored revision " << current->revision() << ", next counter "
                                              << current->next_counter()) {
            const auto next = w.record_replacing(*current);
            BOOST_TEST_REQUIRE(next.has_value());
            BOOST_TEST(next->revision() == current->revision() + 1);
            // Everything else is the wizard's new record: secret, codes, replay guard.
            BOOST_TEST((next->replacing(made.revision() - 1) == made));
        }
    }
}

}  // namespace

// Finish after the current record changed: bookkeeping (logins, failures, new backup codes) is
// followed, a replaced record is not.
BOOST_AUTO_TEST_CASE(record_replacing_follows_bookkeeping_and_refuses_a_replaced_record) {
    const enabled_account first = run_to_the_end(wizard_at(show, 41), t_setup, 42);
    const account& R = first.record;
    const tf::secret old_key = R.enrollment().key();
    const sys_seconds t = t_setup + 300s;

    test_source rng{43};
    wizard w = wizard::reconfigure(R, rng, test_policy).value();
    const tf::secret new_key = key_of(w);
    BOOST_TEST(w.record_replacing(R).error() == errc::wrong_wizard_step);  // not finished yet
    BOOST_TEST_REQUIRE(w.next().has_value());
    BOOST_TEST_REQUIRE(w.submit_code(code_at(new_key, t), t, rng).has_value());
    BOOST_TEST(w.record_replacing(R).error() == errc::wrong_wizard_step);
    const account N = w.finish().value();

    // Meanwhile, in another window: a sign-in, a wrong code, new backup codes (revisions 1..3).
    const account signed_in = tf::login(R, code_at(old_key, t + 30s), t + 30s).record;
    const account failed = tf::login(signed_in, wrong_code_at(old_key, t + 60s), t + 60s).record;
    test_source other_rng{44};
    const auto regenerated =
        tf::regenerate_backup_codes(failed, code_at(old_key, t + 90s), t + 90s, other_rng).outcome;
    BOOST_TEST_REQUIRE(regenerated.match.has_value());
    BOOST_TEST_REQUIRE(regenerated.record.revision() == R.revision() + 3);

    check_follows_bookkeeping(w, N, {&R, &signed_in, &failed, &regenerated.record});
    // The fingerprint survives the text form.
    const auto resumed = wizard::parse(w.serialize());
    BOOST_TEST_REQUIRE(resumed.has_value());
    BOOST_TEST((*resumed == w));
    BOOST_TEST(resumed->record_replacing(regenerated.record).value().revision() == R.revision() + 4);

    // Replaced meanwhile: another reconfiguration finished first; or disabled and enabled again.
    const account elsewhere =
        run_to_the_end(wizard::reconfigure(R, other_rng, test_policy).value(), t, 45).record;
    BOOST_TEST(w.record_replacing(elsewhere).error() == errc::record_replaced);
    const account enabled_again = run_to_the_end(wizard_at(show, 46), t, 47).record;
    BOOST_TEST(w.record_replacing(enabled_again).error() == errc::record_replaced);
    // The same secret under another issuer, or with another T0, is another enrollment.
    const auto renamed_uri =
        tf::otpauth_uri::make("Other Co", account_name, old_key, wizard::parameters).value();
    const account renamed = account::create(renamed_uri, R.backup_codes(), R.t0()).value();
    BOOST_TEST(w.record_replacing(renamed).error() == errc::record_replaced);
    const account shifted = account::create(R.enrollment(), R.backup_codes(), R.t0() + 30).value();
    BOOST_TEST(w.record_replacing(shifted).error() == errc::record_replaced);
    BOOST_TEST(
        w.record_replacing(account::create(R.enrollment(), R.backup_codes(), R.t0()).value()).has_value());

    // A first enrollment replaces nothing: any record stored meanwhile means 2FA was turned on
    // elsewhere.
    const wizard fresh = wizard_at(finished, 48);
    BOOST_TEST(fresh.record_replacing(R).error() == errc::record_replaced);
    BOOST_TEST(wizard_at(aborted).record_replacing(R).error() == errc::setup_aborted);
}

namespace {

// The "replaces" line's fingerprint as documented: SHA-256 of "<URI> <T0>", lowercase hex.
std::string documented_fingerprint(const tf::otpauth_uri& uri, std::int64_t t0) {
    const std::string text = uri.reveal_uri_string() + " " + std::to_string(t0);
    return twofactor_test::to_hex(tf::hash<tf::sha256>(twofactor_test::bytes_of(text)).bytes);
}

// The fingerprint a wizard's text form holds ("replaces <revision> <fingerprint>").
std::string fingerprint_in(const wizard& w) {
    const auto lines = body_lines(w);
    const std::string& line = lines[index_of(lines, "replaces")];
    return line.substr(line.rfind(' ') + 1);
}

std::string hotp_code(const account& record, std::uint64_t counter) {
    return std::string(
        tf::hotp<tf::sha1, 6>{record.enrollment().key().reveal_bytes()}.generate(counter).view());
}

}  // namespace

// An HOTP account's counter moves on with every sign-in: bookkeeping, like a TOTP account's
// last step, so a sign-in during a reconfiguration must not make Finish refuse the record.
BOOST_AUTO_TEST_CASE(record_replacing_follows_an_hotp_counter) {
    tf::otpauth_parameters hotp_parameters;
    hotp_parameters.type = tf::otp_type::hotp;
    hotp_parameters.counter = 5;
    const tf::secret old_key = tf::secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").value();
    const auto uri = tf::otpauth_uri::make(issuer, account_name, old_key, hotp_parameters).value();
    test_source codes_rng{91};
    const auto codes = tf::backup_code_set<10>::generate(codes_rng, tf::min_backup_code_iterations).value();
    const account R = account::create(uri, codes.set).value();
    BOOST_TEST_REQUIRE(R.next_counter() == 5u);

    test_source rng{92};
    wizard w = wizard::reconfigure(R, rng, test_policy).value();
    // The fingerprint of an HOTP record is that of its URI with the counter at 0.
    tf::otpauth_parameters at_zero = hotp_parameters;
    at_zero.counter = 0;
    const auto uri_at_zero = tf::otpauth_uri::make(issuer, account_name, old_key, at_zero).value();
    BOOST_TEST(fingerprint_in(w) == documented_fingerprint(uri_at_zero, 0));
    const sys_seconds t = t_setup + 300s;
    const tf::secret new_key = key_of(w);
    BOOST_TEST_REQUIRE(w.next().has_value());
    BOOST_TEST_REQUIRE(w.submit_code(code_at(new_key, t), t, rng).has_value());
    const account N = w.finish().value();

    // Meanwhile: two sign-ins (counter 5 -> 7, revision 0 -> 2), a failure, a look-ahead.
    const auto first = tf::login(R, hotp_code(R, 5), t);
    BOOST_TEST_REQUIRE(first.match.has_value());
    const auto second = tf::login(first.record, hotp_code(R, 6), t);
    BOOST_TEST_REQUIRE(second.match.has_value());
    const auto failed = tf::login(second.record, hotp_code(R, 6), t);  // a replay: a failure
    BOOST_TEST_REQUIRE(failed.match.error() == errc::replayed_code);
    const auto ahead = tf::login(failed.record, hotp_code(R, 12), t);
    BOOST_TEST_REQUIRE(ahead.match.has_value());
    BOOST_TEST_REQUIRE(ahead.record.next_counter() == 13u);
    check_follows_bookkeeping(w, N, {&R, &first.record, &second.record, &failed.record, &ahead.record});
    // Also after the text form (a web session between Finish's two requests).
    const auto resumed = wizard::parse(w.serialize());
    BOOST_TEST_REQUIRE(resumed.has_value());
    BOOST_TEST(resumed->record_replacing(ahead.record).value().revision() == ahead.record.revision() + 1);

    // What is not bookkeeping still counts: another secret, issuer or account name, another
    // type or algorithm.
    const tf::secret other_key = tf::secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").value();
    auto hotp_record = [&](std::string_view i, std::string_view a, const tf::secret& key,
                           const tf::otpauth_parameters& p) {
        return account::create(tf::otpauth_uri::make(i, a, key, p).value(), codes.set).value();
    };
    tf::otpauth_parameters sha256_parameters = hotp_parameters;
    sha256_parameters.hash = tf::algorithm::sha256;
    tf::otpauth_parameters totp_parameters;
    tf::otpauth_parameters eight_digits = hotp_parameters;
    eight_digits.digits = 8;
    BOOST_TEST(w.record_replacing(hotp_record(issuer, account_name, other_key, hotp_parameters)).error() ==
               errc::record_replaced);
    BOOST_TEST(w.record_replacing(hotp_record("Other Co", account_name, old_key, hotp_parameters)).error() ==
               errc::record_replaced);
    BOOST_TEST(w.record_replacing(hotp_record(issuer, "bob@example.com", old_key, hotp_parameters)).error() ==
               errc::record_replaced);
    BOOST_TEST(w.record_replacing(hotp_record(issuer, account_name, old_key, sha256_parameters)).error() ==
               errc::record_replaced);
    BOOST_TEST(w.record_replacing(hotp_record(issuer, account_name, old_key, eight_digits)).error() ==
               errc::record_replaced);
    BOOST_TEST(w.record_replacing(hotp_record(issuer, account_name, old_key, totp_parameters)).error() ==
               errc::record_replaced);
    // The same enrollment created again at another counter is the same enrollment.
    tf::otpauth_parameters later = hotp_parameters;
    later.counter = 1000;
    BOOST_TEST(w.record_replacing(hotp_record(issuer, account_name, old_key, later)).has_value());
}

// A TOTP record's fingerprint is unchanged by the HOTP fix: its URI has no counter, so wizard
// states saved before it stay valid.
BOOST_AUTO_TEST_CASE(a_totp_fingerprint_is_that_of_its_uri_and_t0) {
    const account R = run_to_the_end(wizard_at(show, 93), t_setup, 94).record;
    test_source rng{95};
    const wizard w = wizard::reconfigure(R, rng, test_policy).value();
    BOOST_TEST(fingerprint_in(w) == documented_fingerprint(R.enrollment(), R.t0()));
}

// The record a reconfiguration gives has revision current + 1: it cannot start from a record
// at account_record::max_revision, and its text form cannot name one.
BOOST_AUTO_TEST_CASE(a_reconfiguration_never_passes_the_largest_revision) {
    const account R = run_to_the_end(wizard_at(show, 96), t_setup, 97).record;
    const account last = R.replacing(account::max_revision - 1);
    const account before_last = R.replacing(account::max_revision - 2);
    BOOST_TEST_REQUIRE(last.revision() == account::max_revision);
    test_source rng{98};
    const auto refused = wizard::reconfigure(last, rng, test_policy);
    BOOST_TEST_REQUIRE(!refused.has_value());
    BOOST_TEST(refused.error() == errc::counter_overflow);
    wizard w = wizard::reconfigure(before_last, rng, test_policy).value();
    const sys_seconds t = t_setup + 300s;
    const tf::secret new_key = key_of(w);
    BOOST_TEST(w.serialize().find("replaces 9223372036854775806 ") != std::string::npos);
    BOOST_TEST((wizard::parse(w.serialize()).value() == w));
    BOOST_TEST_REQUIRE(w.next().has_value());
    BOOST_TEST_REQUIRE(w.submit_code(code_at(new_key, t), t, rng).has_value());
    const auto finished_record = w.finish();
    BOOST_TEST_REQUIRE(finished_record.has_value());
    BOOST_TEST(finished_record->revision() == account::max_revision);
    BOOST_TEST((account::parse(finished_record->serialize()).value() == *finished_record));
    // Finish against the stored record: at the largest revision it has no successor.
    BOOST_TEST(w.record_replacing(before_last).value().revision() == account::max_revision);
    const auto no_successor = w.record_replacing(last);
    BOOST_TEST_REQUIRE(!no_successor.has_value());
    BOOST_TEST(no_successor.error() == errc::counter_overflow);

    // The text form: "replaces" up to max_revision - 1.
    auto lines = body_lines(w);
    const std::size_t replaces = index_of(lines, "replaces");
    const std::string fingerprint = lines[replaces].substr(lines[replaces].rfind(' '));
    lines[replaces] = "replaces " + std::to_string(account::max_revision) + fingerprint;
    BOOST_TEST(
        (wizard::parse(sealed(lines)).error() == tf::record_error{errc::invalid_field_value, replaces + 1}));
    lines[replaces] = "replaces 18446744073709551615" + fingerprint;
    BOOST_TEST(
        (wizard::parse(sealed(lines)).error() == tf::record_error{errc::invalid_field_value, replaces + 1}));
    lines[replaces] = "replaces " + std::to_string(account::max_revision - 1) + fingerprint;
    BOOST_TEST(wizard::parse(sealed(lines)).has_value());
}

BOOST_AUTO_TEST_CASE(cancelling_a_reconfiguration_leaves_the_current_record_working) {
    const enabled_account first = run_to_the_end(wizard_at(show, 21), t_setup, 22);
    const account R = first.record;
    const tf::secret old_key = R.enrollment().key();
    const sys_seconds t = t_setup + 300s;
    for (const wizard_step where : {show, verify, codes}) {
        BOOST_TEST_CONTEXT("cancelled at " << to_string(where)) {
            test_source rng{23};
            wizard w = wizard::reconfigure(R, rng, test_policy).value();
            const tf::secret new_key = key_of(w);
            if (where != show) BOOST_TEST_REQUIRE(w.next().has_value());
            if (where == codes) BOOST_TEST_REQUIRE(w.submit_code(code_at(new_key, t), t, rng).has_value());
            BOOST_TEST(w.step() == where);
            BOOST_TEST_REQUIRE(w.cancel().has_value());
            BOOST_TEST(w.step() == wizard_step::cancelled);
            BOOST_TEST((w.replaces_revision() == std::optional<std::uint64_t>(R.revision())));
            BOOST_TEST(w.record().error() == errc::wrong_wizard_step);
            BOOST_TEST(w.finish().error() == errc::wrong_wizard_step);
            // Nothing secret is left in the wizard's state.
            const std::string text = w.serialize();
            BOOST_TEST(!contains(text, "secret "));
            BOOST_TEST(!contains(text, "backup-code"));
            BOOST_TEST(!contains(text, "backup-plain"));
            // R: unchanged, and its code and backup codes still sign in.
            BOOST_TEST(tf::login(R, code_at(old_key, t), t).match.has_value());
            BOOST_TEST(tf::login(R, first.backup_codes[9], t).match.has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(disable_then_enable_again_passes_every_step) {
    const enabled_account first = run_to_the_end(wizard_at(show, 31), t_setup, 32);
    const account& R = first.record;
    const tf::secret old_key = R.enrollment().key();
    const sys_seconds t = t_setup + 120s;

    // Disable: confirmed by a fresh code (the caller then deletes the record).
    const auto disabled = tf::confirm_disable(R, code_at(old_key, t), t);
    BOOST_TEST_REQUIRE(disabled.match.has_value());
    BOOST_TEST(disabled.match->method == tf::login_method::one_time_code);
    // The code that verified the setup cannot confirm it.
    BOOST_TEST(tf::confirm_disable(R, code_at(old_key, t_setup), t_setup).match.error() ==
               errc::replayed_code);

    // Enable again: a new wizard from the start, nothing carried over.
    test_source rng{33};
    wizard w = wizard::start(R.enrollment().issuer(), R.enrollment().account(), rng, test_policy).value();
    BOOST_TEST(!w.replaces_revision().has_value());
    const tf::secret new_key = key_of(w);
    BOOST_TEST(!(new_key == old_key));
    // Finish (or the record) before verifying is refused at every earlier step.
    BOOST_TEST(w.finish().error() == errc::wrong_wizard_step);
    BOOST_TEST(w.record().error() == errc::wrong_wizard_step);
    BOOST_TEST(w.step() == wizard_step::show_secret);
    BOOST_TEST_REQUIRE(w.next().has_value());
    BOOST_TEST(w.finish().error() == errc::wrong_wizard_step);
    BOOST_TEST(w.record().error() == errc::wrong_wizard_step);
    BOOST_TEST(w.step() == wizard_step::verify_setup);
    // The old secret's code does not verify the new one.
    BOOST_TEST(w.submit_code(code_at(old_key, t), t, rng).error() == errc::wrong_code);
    BOOST_TEST(w.finish().error() == errc::wrong_wizard_step);
    BOOST_TEST_REQUIRE(w.submit_code(code_at(new_key, t), t, rng).has_value());
    BOOST_TEST(w.record().error() == errc::wrong_wizard_step);  // not before Finish
    const auto record = w.finish();
    BOOST_TEST_REQUIRE(record.has_value());
    BOOST_TEST(record->revision() == 0u);
    BOOST_TEST((record->last_accepted_step() == std::optional<std::uint64_t>(setup_step + 4)));
    for (const std::string& c : first.backup_codes)
        BOOST_TEST(tf::login(*record, c, t + 30s).match.error() == errc::wrong_code);
    BOOST_TEST(tf::login(*record, code_at(new_key, t + 30s), t + 30s).match.has_value());
}

// ---- The text form is read strictly. ----

BOOST_AUTO_TEST_CASE(text_of_another_totp_type_is_refused) {
    using sha256_wizard = tf::enrollment_wizard<tf::totp<tf::sha256, 8, 60s>>;
    using later_t0_wizard = tf::enrollment_wizard<tf::totp<tf::sha1, 6, 30s, std::chrono::system_clock, 60>>;
    using eight_digit_wizard = tf::enrollment_wizard<tf::totp<tf::sha1, 8, 30s>>;
    using minute_wizard = tf::enrollment_wizard<tf::totp<tf::sha1, 6, 60s>>;
    for (const wizard_step step : {show, verify, codes, finished, aborted, cancelled}) {
        BOOST_TEST_CONTEXT(to_string(step)) {
            const std::string text = wizard_at(step).serialize();
            // algorithm, digits, period, t0 are lines 3 to 6.
            BOOST_TEST(
                (sha256_wizard::parse(text).error() == tf::record_error{errc::invalid_field_value, 3}));
            BOOST_TEST(
                (eight_digit_wizard::parse(text).error() == tf::record_error{errc::invalid_field_value, 4}));
            BOOST_TEST(
                (minute_wizard::parse(text).error() == tf::record_error{errc::invalid_field_value, 5}));
            BOOST_TEST(
                (later_t0_wizard::parse(text).error() == tf::record_error{errc::invalid_field_value, 6}));
        }
    }
    // And the other way round.
    test_source rng{41};
    const auto other = sha256_wizard::start(issuer, account_name, rng, test_policy);
    BOOST_TEST_REQUIRE(other.has_value());
    BOOST_TEST(other->enrollment()->key().size() == 32u);
    const auto parsed_other = sha256_wizard::parse(other->serialize());
    BOOST_TEST_REQUIRE(parsed_other.has_value());
    BOOST_TEST((*parsed_other == *other));
    BOOST_TEST((wizard::parse(other->serialize()).error() == tf::record_error{errc::invalid_field_value, 3}));
    // Not a wizard at all: an account record.
    const auto record = wizard_at(finished).record().value();
    BOOST_TEST(wizard::parse(record.serialize()).error().code == errc::not_a_record);
}

BOOST_AUTO_TEST_CASE(text_after_the_checksum_line_is_trailing_data) {
    for (const wizard_step step : all_steps) {
        BOOST_TEST_CONTEXT(to_string(step)) {
            const std::string text = wizard_at(step).serialize();
            const std::size_t after_checksum = lines_of(text).size() + 1;
            for (const std::string& junk :
                 {std::string("\n"), std::string("x"), std::string("step finished\n"),
                  text.substr(0, text.size() - 1), text /* the state twice */}) {
                BOOST_TEST((wizard::parse(text + junk).error() ==
                            tf::record_error{errc::record_trailing_data, after_checksum}),
                           "junk '" << junk << "'");
            }
            // Truncated inside the checksum line: still truncated.
            BOOST_TEST(wizard::parse(text.substr(0, text.size() - 2)).error().code == errc::record_truncated);
        }
    }
}

BOOST_AUTO_TEST_CASE(every_flipped_byte_and_every_prefix_is_refused) {
    for (const wizard_step step : all_steps) {
        BOOST_TEST_CONTEXT(to_string(step)) {
            const wizard w = wizard_at(step);
            const std::string text = w.serialize();
            std::size_t accepted = 0;
            for (std::size_t i = 0; i < text.size(); ++i) {
                std::string flipped = text;
                flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
                const auto parsed = wizard::parse(flipped);
                if (parsed) {
                    ++accepted;
                    BOOST_TEST_CONTEXT("flipped byte " << i) BOOST_TEST((*parsed == w));
                }
            }
            BOOST_TEST(accepted == 0u);
            for (std::size_t size = 0; size < text.size(); ++size) {
                const auto parsed = wizard::parse(std::string_view(text).substr(0, size));
                if (parsed) {
                    ++accepted;
                    BOOST_TEST_CONTEXT("prefix of " << size) BOOST_TEST((*parsed == w));
                }
            }
            BOOST_TEST(accepted == 0u);
        }
    }
}

// The text is refused with `code` on `line` (a macro, so that a failure names its line).
#define EXPECT_REFUSED(parsed_expression, expected_code, expected_line)                 \
    do {                                                                                \
        const auto parsed = (parsed_expression);                                        \
        BOOST_TEST_REQUIRE(!parsed.has_value());                                        \
        BOOST_TEST((parsed.error() == tf::record_error{expected_code, expected_line})); \
        BOOST_TEST(parsed.error().code == expected_code);                               \
    } while (false)

BOOST_AUTO_TEST_CASE(step_inconsistent_fields_are_refused_even_with_a_valid_checksum) {
    // The helper reseals exactly as serialize() does.
    for (const wizard_step step : all_steps) BOOST_TEST_CONTEXT(to_string(step))
    BOOST_TEST(sealed(body_lines(wizard_at(step))) == wizard_at(step).serialize());

    auto parse_edited = [](wizard_step step, auto edit) {
        auto lines = body_lines(wizard_at(step));
        edit(lines);
        return wizard::parse(sealed(lines));
    };
    auto set_value = [](std::string_view name, std::string value) {
        return [name, value](std::vector<std::string>& lines) {
            lines[index_of(lines, name)] = std::string(name) + " " + value;
        };
    };
    auto remove = [](std::string_view name) {
        return [name](std::vector<std::string>& lines) {
            lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(index_of(lines, name)));
        };
    };

    // Fields the step does not have.
    const auto verify_lines = body_lines(wizard_at(verify));
    const auto codes_lines = body_lines(wizard_at(codes));
    {
        auto lines = body_lines(wizard_at(aborted));
        lines.push_back("attempts-left 3");
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, lines.size());
    }
    {
        auto lines = body_lines(wizard_at(show));
        lines.push_back(codes_lines[index_of(codes_lines, "verified-step")]);
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, lines.size());
    }
    {
        auto lines = body_lines(wizard_at(verify));
        lines.push_back(codes_lines[index_of(codes_lines, "backup-codes")]);
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, lines.size());
    }
    {  // code lines of the set: the earliest is named (index 3 is line 4)
        auto lines = body_lines(wizard_at(show));
        const std::size_t index = 3;
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(index),
                     codes_lines[index_of(codes_lines, "backup-code 7")]);
        lines.push_back(codes_lines[index_of(codes_lines, "backup-code 2")]);
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, index + 1);
    }
    {
        auto lines = body_lines(wizard_at(codes));
        lines.push_back("attempts-left 3");
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, lines.size());
    }
    {  // backup-plain lines on finished (copied from the backup-codes page they came from)
        auto lines = body_lines(wizard_at(finished));
        const std::size_t first_plain = lines.size() + 1;
        for (const std::string& line : codes_lines)
            if (line.starts_with("backup-plain ")) lines.push_back(line);
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, first_plain);
    }
    {  // ... and on verify-setup
        auto lines = body_lines(wizard_at(verify));
        lines.push_back(codes_lines[index_of(codes_lines, "backup-plain")]);
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, lines.size());
    }
    {  // the secret on aborted and cancelled
        for (const wizard_step step : {aborted, cancelled}) {
            auto lines = body_lines(wizard_at(step));
            lines.push_back(verify_lines[index_of(verify_lines, "secret")]);
            EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, lines.size());
        }
    }
    {  // a field of no record
        auto lines = body_lines(wizard_at(show));
        lines.push_back("colour blue");
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::unknown_field, lines.size());
    }

    // Fields the step needs.
    EXPECT_REFUSED(parse_edited(show, remove("secret")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(verify, remove("issuer")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(verify, remove("attempts-left")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(show, remove("attempts-left")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(codes, remove("verified-step")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(codes, remove("backup-plain")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(finished, remove("backup-code")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(aborted, remove("replaces")), errc::missing_field, 0);
    EXPECT_REFUSED(parse_edited(cancelled, remove("step")), errc::missing_field, 0);

    // Duplicates.
    {
        auto lines = body_lines(wizard_at(codes));
        const std::size_t at = index_of(lines, "backup-plain");
        lines.push_back(lines[at]);
        EXPECT_REFUSED(wizard::parse(sealed(lines)), errc::duplicate_field, lines.size());
    }

    // Values out of range. Lines: 2 step, 7 max-attempts, 8 window, 9 backup-iterations.
    const std::size_t attempts_line = index_of(verify_lines, "attempts-left") + 1;
    EXPECT_REFUSED(parse_edited(verify, set_value("attempts-left", "0")), errc::invalid_field_value,
                   attempts_line);
    EXPECT_REFUSED(parse_edited(verify, set_value("attempts-left", "50")), errc::invalid_field_value,
                   attempts_line);
    EXPECT_REFUSED(parse_edited(verify, set_value("attempts-left", "101")), errc::invalid_field_value,
                   attempts_line);
    // (attempts-left 6, one more than max-attempts 5: see the next test case)
    EXPECT_REFUSED(parse_edited(verify, set_value("attempts-left", "05")), errc::invalid_field_value,
                   attempts_line);
    BOOST_TEST(parse_edited(verify, set_value("attempts-left", "1"))->attempts_left() == 1u);
    EXPECT_REFUSED(parse_edited(show, set_value("step", "nonsense")), errc::invalid_field_value, 2);
    EXPECT_REFUSED(parse_edited(show, set_value("step", "Show-Secret")), errc::invalid_field_value, 2);
    EXPECT_REFUSED(parse_edited(show, set_value("max-attempts", "0")), errc::invalid_field_value, 7);
    EXPECT_REFUSED(parse_edited(show, set_value("max-attempts", "101")), errc::invalid_field_value, 7);
    EXPECT_REFUSED(parse_edited(show, set_value("window", "11 0")), errc::invalid_field_value, 8);
    EXPECT_REFUSED(parse_edited(show, set_value("window", "1")), errc::invalid_field_value, 8);
    EXPECT_REFUSED(parse_edited(show, set_value("backup-iterations", "999")), errc::invalid_hash_cost, 9);
    EXPECT_REFUSED(parse_edited(show, set_value("backup-iterations", "10000001")), errc::invalid_hash_cost,
                   9);
    BOOST_TEST(parse_edited(show, set_value("backup-iterations", "1000")).has_value());
    BOOST_TEST(parse_edited(show, set_value("backup-iterations", "10000000")).has_value());
    EXPECT_REFUSED(parse_edited(show, set_value("replaces", "-1")), errc::invalid_field_value, 10);
    {  // a reconfiguration's "replaces <revision> <fingerprint>"
        const std::string hex64(64, 'a');
        BOOST_TEST(parse_edited(show, set_value("replaces", "7 " + hex64)).has_value());
        EXPECT_REFUSED(parse_edited(show, set_value("replaces", "7")), errc::invalid_field_value, 10);
        EXPECT_REFUSED(parse_edited(show, set_value("replaces", "7 " + hex64.substr(1))),
                       errc::invalid_field_value, 10);
        EXPECT_REFUSED(parse_edited(show, set_value("replaces", "7 " + hex64 + "a")),
                       errc::invalid_field_value, 10);
        EXPECT_REFUSED(parse_edited(show, set_value("replaces", "7 " + std::string(64, 'A'))),
                       errc::invalid_field_value, 10);
        EXPECT_REFUSED(parse_edited(show, set_value("replaces", "7  " + hex64)), errc::invalid_field_value,
                       10);
        EXPECT_REFUSED(parse_edited(show, set_value("replaces", "none " + hex64)), errc::invalid_field_value,
                       10);
    }
    EXPECT_REFUSED(parse_edited(show, set_value("secret", "gezdgnbvgy3tqojqgezdgnbvgy3tqojq")),
                   errc::invalid_base32_character, 13);
    EXPECT_REFUSED(parse_edited(show, set_value("secret", "GEZDGNBVGY3TQOJQGEZDGNBVGY======")),
                   errc::invalid_field_value, 13);
    {  // the same step's attempts-left may be up to a larger max-attempts
        const auto parsed = parse_edited(verify, [](std::vector<std::string>& lines) {
            lines[index_of(lines, "max-attempts")] = "max-attempts 100";
            lines[index_of(lines, "attempts-left")] = "attempts-left 100";
        });
        BOOST_TEST_REQUIRE(parsed.has_value());
        BOOST_TEST(parsed->attempts_left() == 100u);
        BOOST_TEST(parsed->policy().max_setup_attempts == 100u);
    }

    // Plain backup codes exactly as serialize writes them: grouped, uppercase.
    const std::size_t plain_index = index_of(codes_lines, "backup-plain");
    const std::string grouped = codes_lines[plain_index].substr(std::string_view("backup-plain 1 ").size());
    BOOST_TEST_REQUIRE(grouped.size() == 14u);
    std::string lowercase = grouped;
    for (char& c : lowercase)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    std::string ungrouped = grouped;
    std::erase(ungrouped, '-');
    std::string spaced = grouped;
    std::replace(spaced.begin(), spaced.end(), '-', ' ');
    for (const std::string& form : {lowercase, ungrouped, spaced, grouped + "-"}) {
        BOOST_TEST_CONTEXT('"' << form << '"') {
            EXPECT_REFUSED(parse_edited(codes, set_value("backup-plain", "1 " + form)),
                           errc::invalid_field_value, plain_index + 1);
        }
    }
    EXPECT_REFUSED(parse_edited(codes, set_value("backup-plain", "11 " + grouped)), errc::invalid_field_value,
                   plain_index + 1);
    EXPECT_REFUSED(parse_edited(codes, set_value("backup-plain", "0 " + grouped)), errc::invalid_field_value,
                   plain_index + 1);
    EXPECT_REFUSED(parse_edited(codes, set_value("backup-plain", "1 0000-0000-0000")),
                   errc::malformed_backup_code, plain_index + 1);
}

// parse_decimal once let a digit above a maximum below 9 through ("attempts-left 6" under
// max-attempts 5: more guesses than the policy allows).
BOOST_AUTO_TEST_CASE(attempts_left_above_max_attempts_is_refused) {
    auto lines = body_lines(wizard_at(verify));
    const std::size_t at = index_of(lines, "attempts-left");
    BOOST_TEST_REQUIRE(lines[index_of(lines, "max-attempts")] == "max-attempts 5");
    for (const char* value : {"6", "9", "16", "99"}) {
        BOOST_TEST_CONTEXT("attempts-left " << value) {
            lines[at] = std::string("attempts-left ") + value;
            const auto parsed = wizard::parse(sealed(lines));
            BOOST_TEST(!parsed.has_value());
            if (parsed) {
                BOOST_TEST(parsed->attempts_left() <= parsed->policy().max_setup_attempts);
            } else {
                BOOST_TEST((parsed.error() == tf::record_error{errc::invalid_field_value, at + 1}));
            }
        }
    }
}

// ---- A value: copyable, independent copies, no heap. ----

static_assert(std::is_copy_constructible_v<wizard>);
static_assert(std::is_copy_assignable_v<wizard>);
static_assert(!std::is_default_constructible_v<wizard>);

BOOST_AUTO_TEST_CASE(copies_evolve_independently) {
    wizard w = wizard_at(verify);
    const tf::secret key = key_of(w);
    wizard copy = w;
    test_source rng{51};
    BOOST_TEST(copy.submit_code(wrong_code_at(key, t_setup), t_setup, rng).error() == errc::wrong_code);
    BOOST_TEST(copy.attempts_left() == 4u);
    BOOST_TEST(w.attempts_left() == 5u);
    BOOST_TEST(!(copy == w));
    BOOST_TEST_REQUIRE(w.submit_code(code_at(key, t_setup), t_setup, rng).has_value());
    BOOST_TEST(w.step() == wizard_step::backup_codes);
    BOOST_TEST(copy.step() == wizard_step::verify_setup);
    wizard third = copy;
    BOOST_TEST_REQUIRE(third.cancel().has_value());
    BOOST_TEST(copy.step() == wizard_step::verify_setup);  // still there
    copy = w;
    BOOST_TEST((copy == w));
    BOOST_TEST_REQUIRE(copy.finish().has_value());
    BOOST_TEST(w.step() == wizard_step::backup_codes);
    BOOST_TEST(w.backup_codes().has_value());
}

BOOST_AUTO_TEST_CASE(the_wizard_never_allocates) {
    std::array<char, 4096> text{};
    std::array<char, tf::secret::max_setup_code_size> setup_code{};
    const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(t_setup)};
    bool all_ok = true;
    counted_allocations = 0;
    counting_allocations = true;
    {
        test_source rng{61};
        auto w = wizard::start(issuer, account_name, rng, test_policy);
        all_ok = all_ok && w.has_value();
        const auto uri = w->enrollment();
        all_ok = all_ok && uri && w->qr() && w->reveal_setup_code(setup_code);
        const app_totp generator{uri->key().reveal_bytes()};
        all_ok = all_ok && w->next();
        wizard copy = *w;
        all_ok = all_ok && w->serialize(text) &&
                 wizard::parse(std::string_view(text.data(), w->serialized_size()));
        all_ok = all_ok && w->submit_code(generator.code_at(t_setup)->view(), t_setup, rng);
        all_ok = all_ok && w->backup_codes() && w->download_text(text, today);
        all_ok = all_ok && w->serialize(text) &&
                 wizard::parse(std::string_view(text.data(), w->serialized_size()));
        const auto record = w->finish();
        all_ok = all_ok && record && w->record();
        copy = *w;
        all_ok = all_ok && copy == *w;
        const auto login = tf::login(*record, generator.code_at(t_setup + 30s)->view(), t_setup + 30s);
        all_ok = all_ok && login.match;
    }
    counting_allocations = false;
    BOOST_TEST(all_ok);
    BOOST_TEST(counted_allocations == 0u);
    // The counter works: the std::string overload of serialize allocates.
    counting_allocations = true;
    { const std::string allocated = wizard_at(show).serialize(); }
    counting_allocations = false;
    BOOST_TEST(counted_allocations > 0u);
}

// ---- Policy validation and random-source failures. ----

BOOST_AUTO_TEST_CASE(a_policy_out_of_range_is_refused_at_start) {
    struct case_ {
        tf::wizard_policy policy;
        std::optional<errc> error;
    };
    const case_ cases[] = {
        {{0, {1, 1}, 1000}, errc::invalid_number},
        {{101, {1, 1}, 1000}, errc::invalid_number},
        {{1, {1, 1}, 1000}, std::nullopt},
        {{100, {1, 1}, 1000}, std::nullopt},
        {{5, {11, 0}, 1000}, errc::invalid_window},
        {{5, {0, 11}, 1000}, errc::invalid_window},
        {{5, {10, 10}, 1000}, std::nullopt},
        {{5, {0, 0}, 1000}, std::nullopt},
        {{5, {1, 1}, 999}, errc::invalid_hash_cost},
        {{5, {1, 1}, tf::max_backup_code_iterations + 1}, errc::invalid_hash_cost},
        {{5, {1, 1}, tf::max_backup_code_iterations}, std::nullopt},
    };
    const account R = run_to_the_end(wizard_at(show, 71), t_setup, 72).record;
    for (const case_& c : cases) {
        BOOST_TEST_CONTEXT("max " << c.policy.max_setup_attempts << " window " << c.policy.window.past << ' '
                                  << c.policy.window.future << " iterations "
                                  << c.policy.backup_code_iterations) {
            test_source rng{73};
            const auto started = wizard::start(issuer, account_name, rng, c.policy);
            const auto reconfigured = wizard::reconfigure(R, rng, c.policy);
            BOOST_TEST(started.has_value() == !c.error.has_value());
            BOOST_TEST(reconfigured.has_value() == !c.error.has_value());
            if (c.error) {
                BOOST_TEST(started.error() == *c.error);
                BOOST_TEST(reconfigured.error() == *c.error);
                BOOST_TEST(rng.calls == 0);  // refused before any randomness is drawn
            } else {
                BOOST_TEST((started->policy() == c.policy));
                const auto parsed = wizard::parse(started->serialize());
                BOOST_TEST_REQUIRE(parsed.has_value());
                BOOST_TEST((parsed->policy() == c.policy));
            }
        }
    }
    // Names are checked as in an otpauth:// URI.
    test_source rng{74};
    BOOST_TEST(wizard::start("AC:ME", account_name, rng, test_policy).error() == errc::invalid_label);
    BOOST_TEST(wizard::start(issuer, "", rng, test_policy).error() == errc::missing_account_name);
}

BOOST_AUTO_TEST_CASE(random_source_failures_change_nothing) {
    test_source failing{81, 0};
    BOOST_TEST(wizard::start(issuer, account_name, failing, test_policy).error() ==
               errc::random_source_failed);
    const account R = run_to_the_end(wizard_at(show, 82), t_setup, 83).record;
    BOOST_TEST(wizard::reconfigure(R, failing, test_policy).error() == errc::random_source_failed);

    // At the right code: the wizard stays on verify_setup with its attempts, and the same
    // code verifies once the source works again.
    wizard w = wizard_at(verify, 84);
    const tf::secret key = key_of(w);
    test_source rng{85};
    BOOST_TEST(w.submit_code(wrong_code_at(key, t_setup), t_setup, rng).error() == errc::wrong_code);
    const wizard before = w;
    for (const int fail_from : {0, 1, 2}) {  // the salt, the first or a later draw of code bytes
        BOOST_TEST_CONTEXT("failing from call " << fail_from) {
            test_source broken{86, fail_from};
            BOOST_TEST(w.submit_code(code_at(key, t_setup), t_setup, broken).error() ==
                       errc::random_source_failed);
            BOOST_TEST(broken.calls > fail_from);
            BOOST_TEST((w == before));
            BOOST_TEST(w.step() == wizard_step::verify_setup);
            BOOST_TEST(w.attempts_left() == 4u);
        }
    }
    BOOST_TEST_REQUIRE(w.submit_code(code_at(key, t_setup), t_setup, rng).has_value());
    BOOST_TEST(w.step() == wizard_step::backup_codes);
}

BOOST_AUTO_TEST_SUITE_END()
