// Tests of include/twofactor/account_operations.hpp: regenerating the backup codes of an
// enabled account (confirmed by a code from the app; refused with a backup code by default;
// a wrong code counts as a failure; the confirming code cannot be replayed; nothing is
// generated before the confirmation succeeded; a random source failure changes and consumes
// nothing; a record at the largest revision is refused) and confirming that 2FA is disabled.
#include <boost/test/unit_test.hpp>

#include <twofactor/account_operations.hpp>
#include <twofactor/otpauth_uri.hpp>
#include <twofactor/totp.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_random.hpp"
#include "support/test_support.hpp"

namespace tf = twofactor;
using namespace std::chrono_literals;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using tf::errc;
using tf::login_method;

using app_totp = tf::totp<tf::sha1, 6, 30s>;
using account = tf::account_record<>;

namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, login_method method) {
    switch (method) {
        case login_method::one_time_code: return out << "one_time_code";
        case login_method::backup_code: return out << "backup_code";
        case login_method::not_required: return out << "not_required";
    }
    return out << "login_method " << static_cast<int>(method);
}
}  // namespace twofactor::inline v1

namespace {

using test_source = twofactor_test::splitmix_source;  // tests/support/test_random.hpp

// RFC 6238's SHA-1 key, "12345678901234567890".
constexpr std::string_view key_base32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
constexpr sys_seconds t0{seconds{1'700'000'015}};  // 5 s into step 56666667
constexpr std::uint64_t step0 = 1'700'000'015 / 30;

tf::secret test_key() { return tf::secret::from_base32(key_base32).value(); }

std::string code_at(sys_seconds t) {
    return std::string(app_totp{test_key().reveal_bytes()}.code_at(t).value().view());
}

// A well-formed code that no step of a ±1 window around `t` accepts.
std::string wrong_code_at(sys_seconds t) {
    const std::array<std::string, 3> valid{code_at(t - 30s), code_at(t), code_at(t + 30s)};
    for (int i = 0;; ++i) {
        std::string candidate = std::to_string(100000 + i);
        if (std::find(valid.begin(), valid.end(), candidate) == valid.end()) return candidate;
    }
}

template <std::size_t N>
std::vector<std::string> plain(const std::array<tf::backup_code, N>& codes) {
    std::vector<std::string> out;
    for (const tf::backup_code& c : codes) {
        const auto grouped = c.reveal_grouped();
        out.emplace_back(grouped.data(), grouped.size());
    }
    return out;
}

// An enabled account (revision 0) and its plain backup codes.
struct enabled {
    account record;
    std::vector<std::string> backup_codes;
};

enabled make_account(std::uint64_t seed = 1) {
    test_source rng{seed};
    const auto uri = tf::otpauth_uri::make("ACME Co", "alice@example.com", test_key());
    BOOST_TEST_REQUIRE(uri.has_value());
    auto fresh = tf::backup_code_set<10>::generate(rng, tf::min_backup_code_iterations);
    BOOST_TEST_REQUIRE(fresh.has_value());
    const auto record = account::create(*uri, fresh->set);
    BOOST_TEST_REQUIRE(record.has_value());
    return {*record, plain(fresh->codes)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(account_operations)

BOOST_AUTO_TEST_SUITE(regenerate_backup_codes)

BOOST_AUTO_TEST_CASE(a_code_from_the_app_replaces_every_backup_code) {
    const enabled a = make_account();
    test_source rng{2};
    const std::string code = code_at(t0);
    const auto regenerated = tf::regenerate_backup_codes(a.record, code, t0, rng);
    const auto& outcome = regenerated.outcome;
    BOOST_TEST_REQUIRE(outcome.match.has_value());
    BOOST_TEST(outcome.match->method == login_method::one_time_code);
    BOOST_TEST(outcome.match->step == step0);
    BOOST_TEST(outcome.record_changed);
    BOOST_TEST(!outcome.locked_until.has_value());

    // Ten new codes, distinct, none of them an old one.
    const std::vector<std::string> fresh = plain(regenerated.codes);
    BOOST_TEST(fresh.size() == 10u);
    std::vector<std::string> sorted = fresh;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST((std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()));
    for (const std::string& c : fresh)
        BOOST_TEST((std::find(a.backup_codes.begin(), a.backup_codes.end(), c) == a.backup_codes.end()));

    // The stored record: same secret, new digests, revision increased, the code's step kept.
    const account& next = outcome.record;
    BOOST_TEST(next.revision() == a.record.revision() + 1);  // one change, one revision
    BOOST_TEST((next.enrollment() == a.record.enrollment()));
    BOOST_TEST(!(next.backup_codes() == a.record.backup_codes()));
    BOOST_TEST(next.backup_codes().remaining() == 10u);
    BOOST_TEST(next.backup_codes().iterations() == a.record.backup_codes().iterations());
    BOOST_TEST((next.last_accepted_step() == std::optional<std::uint64_t>(step0)));
    BOOST_TEST(next.consecutive_failures() == 0u);
    const auto reparsed = account::parse(next.serialize());
    BOOST_TEST_REQUIRE(reparsed.has_value());
    BOOST_TEST((*reparsed == next));

    // The old codes stop working, the new ones work (each once).
    for (const std::string& c : a.backup_codes) {
        const auto old = tf::login(next, c, t0 + 30s);
        BOOST_TEST_REQUIRE(!old.match.has_value());
        BOOST_TEST(old.match.error() == errc::wrong_code);
    }
    account current = next;
    for (std::size_t i = 0; i < fresh.size(); ++i) {
        BOOST_TEST_CONTEXT("new code " << i + 1) {
            const auto used = tf::login(current, fresh[i], t0 + 30s);
            BOOST_TEST_REQUIRE(used.match.has_value());
            BOOST_TEST(used.match->method == login_method::backup_code);
            BOOST_TEST(used.match->backup_code_index == i);
            current = used.record;
            BOOST_TEST(tf::login(current, fresh[i], t0 + 30s).match.error() == errc::backup_code_used);
        }
    }
    // ... while the old record still accepts the old codes (nothing was changed in place).
    BOOST_TEST(tf::login(a.record, a.backup_codes[0], t0).match.has_value());

    // The confirming code is spent: it cannot confirm again, nor sign in.
    test_source rng2{3};
    const auto again = tf::regenerate_backup_codes(next, code, t0, rng2);
    BOOST_TEST_REQUIRE(!again.outcome.match.has_value());
    BOOST_TEST(again.outcome.match.error() == errc::replayed_code);
    BOOST_TEST((again.outcome.record.backup_codes() == next.backup_codes()));
    BOOST_TEST(again.outcome.record.consecutive_failures() == 1u);
    BOOST_TEST(tf::login(next, code, t0).match.error() == errc::replayed_code);
    // The next step's code confirms.
    test_source rng3{4};
    const auto later = tf::regenerate_backup_codes(next, code_at(t0 + 30s), t0 + 30s, rng3);
    BOOST_TEST(later.outcome.match.has_value());
}

BOOST_AUTO_TEST_CASE(the_default_random_source_is_the_operating_systems) {
    const enabled a = make_account();
    const auto regenerated = tf::regenerate_backup_codes(a.record, code_at(t0), t0);  // os_random
    BOOST_TEST_REQUIRE(regenerated.outcome.match.has_value());
    const account& next = regenerated.outcome.record;
    BOOST_TEST(next.backup_codes().remaining() == 10u);
    const std::vector<std::string> fresh = plain(regenerated.codes);
    for (const std::string& c : fresh)
        BOOST_TEST((std::find(a.backup_codes.begin(), a.backup_codes.end(), c) == a.backup_codes.end()));
    const auto used = tf::login(next, fresh[3], t0 + 30s);
    BOOST_TEST_REQUIRE(used.match.has_value());
    BOOST_TEST(used.match->method == login_method::backup_code);
    BOOST_TEST(!tf::login(next, a.backup_codes[3], t0 + 30s).match.has_value());
}

BOOST_AUTO_TEST_CASE(a_backup_code_does_not_confirm_by_default) {
    const enabled a = make_account();
    // A backup code, valid or not, is refused as one (and not checked); other text as no code.
    const std::pair<std::string, errc> refused[] = {{a.backup_codes[0], errc::backup_code_not_accepted},
                                                    {"7kq4 xr2p dm9a", errc::backup_code_not_accepted},
                                                    {"hello", errc::malformed_login_input}};
    for (const auto& [typed, expected] : refused) {
        BOOST_TEST_CONTEXT('"' << typed << '"') {
            test_source rng{5};
            const auto regenerated = tf::regenerate_backup_codes(a.record, typed, t0, rng);
            BOOST_TEST_REQUIRE(!regenerated.outcome.match.has_value());
            BOOST_TEST(regenerated.outcome.match.error() == expected);
            BOOST_TEST(!regenerated.outcome.record_changed);
            BOOST_TEST((regenerated.outcome.record == a.record));
            for (const tf::backup_code& c : regenerated.codes) BOOST_TEST((c == tf::backup_code{}));
        }
    }
    // The backup code was not spent.
    BOOST_TEST(tf::login(a.record, a.backup_codes[0], t0).match.has_value());
    // With a policy that accepts backup codes, one confirms (and is spent).
    tf::change_policy lenient = tf::regenerate_policy;
    lenient.login.accept_backup_codes = true;
    test_source rng{6};
    const auto regenerated = tf::regenerate_backup_codes(a.record, a.backup_codes[0], t0, rng, lenient);
    BOOST_TEST_REQUIRE(regenerated.outcome.match.has_value());
    BOOST_TEST(regenerated.outcome.match->method == login_method::backup_code);
    // All of the old set is gone, the confirming code with it.
    BOOST_TEST(tf::login(regenerated.outcome.record, a.backup_codes[0], t0).match.error() ==
               errc::wrong_code);
    BOOST_TEST(tf::login(regenerated.outcome.record, a.backup_codes[1], t0).match.error() ==
               errc::wrong_code);
    BOOST_TEST(tf::login(regenerated.outcome.record, plain(regenerated.codes)[0], t0).match.has_value());
}

BOOST_AUTO_TEST_CASE(a_wrong_code_counts_as_a_failure_and_keeps_the_codes) {
    const enabled a = make_account();
    test_source rng{7};
    const auto regenerated = tf::regenerate_backup_codes(a.record, wrong_code_at(t0), t0, rng);
    const auto& outcome = regenerated.outcome;
    BOOST_TEST_REQUIRE(!outcome.match.has_value());
    BOOST_TEST(outcome.match.error() == errc::wrong_code);
    BOOST_TEST(outcome.record_changed);  // store it: the failure counts
    BOOST_TEST(outcome.record.consecutive_failures() == a.record.consecutive_failures() + 1);
    BOOST_TEST(outcome.record.revision() == a.record.revision() + 1);
    BOOST_TEST((outcome.record.backup_codes() == a.record.backup_codes()));
    BOOST_TEST((outcome.record.enrollment() == a.record.enrollment()));
    for (const tf::backup_code& c : regenerated.codes) BOOST_TEST((c == tf::backup_code{}));
    // The old codes still work against the stored record.
    BOOST_TEST(tf::login(outcome.record, a.backup_codes[4], t0).match.has_value());

    // A malformed code (five digits) costs nothing.
    test_source rng2{8};
    const auto short_code = tf::regenerate_backup_codes(a.record, "12345", t0, rng2);
    BOOST_TEST(short_code.outcome.match.error() == errc::malformed_code);
    BOOST_TEST(!short_code.outcome.record_changed);
    BOOST_TEST((short_code.outcome.record == a.record));
}

BOOST_AUTO_TEST_CASE(throttling_applies_to_confirmations) {
    account current = make_account().record;
    const std::string wrong = wrong_code_at(t0);
    // Five free failures, the sixth locks the account for 30 s.
    for (int i = 0; i < 6; ++i) {
        test_source rng{9};
        const auto attempt = tf::regenerate_backup_codes(current, wrong, t0, rng);
        BOOST_TEST(attempt.outcome.match.error() == errc::wrong_code);
        current = attempt.outcome.record;
    }
    BOOST_TEST(current.consecutive_failures() == 6u);
    BOOST_TEST_REQUIRE(current.locked_until().has_value());
    test_source rng{10};
    const auto locked = tf::regenerate_backup_codes(current, code_at(t0), t0, rng);
    BOOST_TEST(locked.outcome.match.error() == errc::locked_out);
    BOOST_TEST(!locked.outcome.record_changed);
    BOOST_TEST((locked.outcome.record == current));
    const auto after = tf::regenerate_backup_codes(current, code_at(t0 + 30s), t0 + 30s, rng);
    BOOST_TEST_REQUIRE(after.outcome.match.has_value());
    BOOST_TEST(after.outcome.record.consecutive_failures() == 0u);
    BOOST_TEST(!after.outcome.record.locked_until().has_value());
}

BOOST_AUTO_TEST_CASE(no_code_is_needed_when_the_policy_says_so) {
    const enabled a = make_account();
    const tf::change_policy no_code{false, tf::regenerate_policy.login};
    for (const std::string_view typed : {std::string_view(""), std::string_view("000000")}) {
        BOOST_TEST_CONTEXT('"' << typed << '"') {
            test_source rng{11};
            const auto regenerated = tf::regenerate_backup_codes(a.record, typed, t0, rng, no_code);
            BOOST_TEST_REQUIRE(regenerated.outcome.match.has_value());
            BOOST_TEST(regenerated.outcome.match->method == login_method::not_required);
            BOOST_TEST(regenerated.outcome.record_changed);
            BOOST_TEST(regenerated.outcome.record.revision() == a.record.revision() + 1);
            // Nothing was verified: the replay guard and the failure count are untouched.
            BOOST_TEST((regenerated.outcome.record.last_accepted_step() == a.record.last_accepted_step()));
            BOOST_TEST(regenerated.outcome.record.consecutive_failures() == 0u);
            const auto fresh = plain(regenerated.codes);
            BOOST_TEST(tf::login(regenerated.outcome.record, fresh[0], t0).match.has_value());
            BOOST_TEST(tf::login(regenerated.outcome.record, a.backup_codes[0], t0).match.error() ==
                       errc::wrong_code);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_random_source_failure_changes_and_consumes_nothing) {
    const enabled a = make_account();
    const std::string code = code_at(t0);
    for (const int fail_from : {0, 1, 2}) {  // the salt, the first or the second draw of code bytes
        BOOST_TEST_CONTEXT("failing from call " << fail_from) {
            test_source broken{12, fail_from};
            const auto regenerated = tf::regenerate_backup_codes(a.record, code, t0, broken);
            BOOST_TEST(broken.calls > fail_from);
            BOOST_TEST_REQUIRE(!regenerated.outcome.match.has_value());
            BOOST_TEST(regenerated.outcome.match.error() == errc::random_source_failed);
            BOOST_TEST(!regenerated.outcome.record_changed);
            BOOST_TEST((regenerated.outcome.record == a.record));
            for (const tf::backup_code& c : regenerated.codes) BOOST_TEST((c == tf::backup_code{}));
        }
    }
    // The code was not consumed: it confirms afterwards, and signs in.
    BOOST_TEST(tf::login(a.record, code, t0).match.has_value());
    test_source rng{13};
    const auto regenerated = tf::regenerate_backup_codes(a.record, code, t0, rng);
    BOOST_TEST_REQUIRE(regenerated.outcome.match.has_value());
    BOOST_TEST(regenerated.outcome.match->step == step0);
    // Also without a code required.
    test_source broken{14, 0};
    const auto no_code = tf::regenerate_backup_codes(a.record, "", t0, broken, tf::change_policy{false, {}});
    BOOST_TEST(no_code.outcome.match.error() == errc::random_source_failed);
    BOOST_TEST(!no_code.outcome.record_changed);
}

BOOST_AUTO_TEST_CASE(no_code_is_generated_before_the_confirmation_succeeded) {
    // Generating N codes costs N PBKDF2 runs: a locked-out, malformed or wrong attempt must
    // return before it, so the random source is never called. The outcome is login's.
    const enabled a = make_account();
    const std::string wrong = wrong_code_at(t0);
    account locked = a.record;
    for (int i = 0; i < 6; ++i) locked = tf::login(locked, wrong, t0).record;
    BOOST_TEST_REQUIRE(locked.locked_until().has_value());

    struct attempt {
        const char* what;
        const account* current;
        std::string typed;
        errc expected;
        bool record_changed;
    };
    const attempt attempts[] = {
        {"locked out, with the right code", &locked, code_at(t0), errc::locked_out, false},
        {"five digits", &a.record, "12345", errc::malformed_code, false},
        {"not a code", &a.record, "hello", errc::malformed_login_input, false},
        {"a backup code (refused by the default policy)", &a.record, a.backup_codes[0],
         errc::backup_code_not_accepted, false},
        {"a wrong code", &a.record, wrong, errc::wrong_code, true},
    };
    for (const attempt& t : attempts) {
        BOOST_TEST_CONTEXT(t.what) {
            test_source counting{15};
            const auto regenerated = tf::regenerate_backup_codes(*t.current, t.typed, t0, counting);
            BOOST_TEST(counting.calls == 0);
            BOOST_TEST_REQUIRE(!regenerated.outcome.match.has_value());
            BOOST_TEST(regenerated.outcome.match.error() == t.expected);
            BOOST_TEST(regenerated.outcome.record_changed == t.record_changed);
            // Exactly what login gives for the same attempt.
            const auto by_login = tf::login(*t.current, t.typed, t0, tf::regenerate_policy.login);
            BOOST_TEST((regenerated.outcome.record == by_login.record));
            BOOST_TEST((regenerated.outcome.locked_until == by_login.locked_until));
            for (const tf::backup_code& c : regenerated.codes) BOOST_TEST((c == tf::backup_code{}));
        }
    }
    // A right code: the source is called only now.
    test_source counting{16};
    const auto regenerated = tf::regenerate_backup_codes(a.record, code_at(t0), t0, counting);
    BOOST_TEST_REQUIRE(regenerated.outcome.match.has_value());
    BOOST_TEST(counting.calls > 0);
}

BOOST_AUTO_TEST_CASE(a_record_at_the_largest_revision_is_refused) {
    // Its successor's revision would pass account_record::max_revision: nothing is checked,
    // generated or changed, with or without a code.
    const enabled a = make_account();
    const account last = a.record.replacing(account::max_revision - 1);
    BOOST_TEST_REQUIRE(last.revision() == account::max_revision);
    for (const tf::change_policy& policy : {tf::regenerate_policy, tf::change_policy{false, {}}}) {
        BOOST_TEST_CONTEXT("code required: " << policy.require_code) {
            test_source counting{17};
            const auto regenerated = tf::regenerate_backup_codes(last, code_at(t0), t0, counting, policy);
            BOOST_TEST(counting.calls == 0);
            BOOST_TEST_REQUIRE(!regenerated.outcome.match.has_value());
            BOOST_TEST(regenerated.outcome.match.error() == errc::counter_overflow);
            BOOST_TEST(!regenerated.outcome.record_changed);
            BOOST_TEST((regenerated.outcome.record == last));
        }
    }
    // One below: the regenerated record has the largest revision.
    const account before_last = a.record.replacing(account::max_revision - 2);
    test_source rng{18};
    const auto regenerated = tf::regenerate_backup_codes(before_last, code_at(t0), t0, rng);
    BOOST_TEST_REQUIRE(regenerated.outcome.match.has_value());
    BOOST_TEST(regenerated.outcome.record.revision() == account::max_revision);
    const auto reparsed = account::parse(regenerated.outcome.record.serialize());
    BOOST_TEST_REQUIRE(reparsed.has_value());
    BOOST_TEST((*reparsed == regenerated.outcome.record));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(confirm_disable)

BOOST_AUTO_TEST_CASE(a_code_from_the_app_confirms) {
    const enabled a = make_account();
    const auto outcome = tf::confirm_disable(a.record, code_at(t0), t0);
    BOOST_TEST_REQUIRE(outcome.match.has_value());
    BOOST_TEST(outcome.match->method == login_method::one_time_code);
    BOOST_TEST(outcome.match->step == step0);
    BOOST_TEST(outcome.record_changed);
    BOOST_TEST(outcome.record.revision() == a.record.revision() + 1);
    // Spaces between the groups are fine, as at login.
    const std::string c = code_at(t0);
    BOOST_TEST(tf::confirm_disable(a.record, c.substr(0, 3) + " " + c.substr(3), t0).match.has_value());
    // The same code again (against the stored outcome) is a replay.
    BOOST_TEST(tf::confirm_disable(outcome.record, code_at(t0), t0).match.error() == errc::replayed_code);
}

BOOST_AUTO_TEST_CASE(a_backup_code_confirms_by_default) {
    const enabled a = make_account();
    const auto outcome = tf::confirm_disable(a.record, a.backup_codes[2], t0);
    BOOST_TEST_REQUIRE(outcome.match.has_value());
    BOOST_TEST(outcome.match->method == login_method::backup_code);
    BOOST_TEST(outcome.match->backup_code_index == 2u);
    BOOST_TEST(outcome.match->backup_codes_remaining == 9u);
    BOOST_TEST(outcome.record_changed);
    BOOST_TEST(outcome.record.backup_codes().used(2));
    // Refused when the policy refuses backup codes (the regenerate policy's login does).
    const auto strict = tf::confirm_disable(a.record, a.backup_codes[2], t0, tf::regenerate_policy);
    BOOST_TEST(strict.match.error() == errc::backup_code_not_accepted);
    BOOST_TEST(!strict.record_changed);
}

BOOST_AUTO_TEST_CASE(a_wrong_code_counts_as_a_failure) {
    const enabled a = make_account();
    const auto outcome = tf::confirm_disable(a.record, wrong_code_at(t0), t0);
    BOOST_TEST_REQUIRE(!outcome.match.has_value());
    BOOST_TEST(outcome.match.error() == errc::wrong_code);
    BOOST_TEST(outcome.record_changed);
    BOOST_TEST(outcome.record.consecutive_failures() == 1u);
    BOOST_TEST(outcome.record.revision() == a.record.revision() + 1);
    BOOST_TEST((outcome.record.backup_codes() == a.record.backup_codes()));
    // A backup code that is not the account's counts too.
    const auto other = tf::confirm_disable(outcome.record, "2222-2222-2222", t0);
    BOOST_TEST(other.match.error() == errc::wrong_code);
    BOOST_TEST(other.record.consecutive_failures() == 2u);
    // Malformed input does not.
    const auto malformed = tf::confirm_disable(a.record, "12ab56", t0);
    BOOST_TEST(malformed.match.error() == errc::malformed_login_input);
    BOOST_TEST(!malformed.record_changed);
}

BOOST_AUTO_TEST_CASE(no_code_is_needed_when_the_policy_says_so) {
    const enabled a = make_account();
    const tf::change_policy no_code{false, {}};
    for (const std::string_view typed : {std::string_view(""), std::string_view("nonsense")}) {
        const auto outcome = tf::confirm_disable(a.record, typed, t0, no_code);
        BOOST_TEST_REQUIRE(outcome.match.has_value());
        BOOST_TEST(outcome.match->method == login_method::not_required);
        BOOST_TEST(!outcome.record_changed);
        BOOST_TEST((outcome.record == a.record));
        BOOST_TEST(!outcome.locked_until.has_value());
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
