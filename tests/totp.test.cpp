// Tests of include/twofactor/totp.hpp: RFC 6238 Appendix B for all three hashes, time
// conversion edge cases, windows, replay refusal, clocks, and the run-time sibling.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <twofactor/totp.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
#include <twofactor/openssl.hpp>
#endif

#include "support/test_support.hpp"

namespace bdata = boost::unit_test::data;
using namespace std::chrono_literals;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using twofactor::errc;
using twofactor::sha1;
using twofactor::sha256;
using twofactor::sha512;
using twofactor::totp;
using twofactor_test::bytes_of;

namespace {

// RFC 6238 Appendix B (with the erratum: a key of the hash's size for each algorithm).
constexpr auto key20 = bytes_of("12345678901234567890");
constexpr auto key32 = bytes_of("12345678901234567890123456789012");
constexpr auto key64 = bytes_of("1234567890123456789012345678901234567890123456789012345678901234");

using rfc_sha1 = totp<sha1, 8, 30s>;
using rfc_sha256 = totp<sha256, 8, 30s>;
using rfc_sha512 = totp<sha512, 8, 30s>;

struct appendix_b_row {
    std::int64_t time;
    std::uint64_t step;
    const char* sha1_code;
    const char* sha256_code;
    const char* sha512_code;
};
const appendix_b_row appendix_b[] = {
    {59, 0x1, "94287082", "46119246", "90693936"},
    {1111111109, 0x23523EC, "07081804", "68084774", "25091201"},
    {1111111111, 0x23523ED, "14050471", "67062674", "99943326"},
    {1234567890, 0x273EF07, "89005924", "91819424", "93441116"},
    {2000000000, 0x3F940AA, "69279037", "90698825", "38618901"},
    {20000000000, 0x27BC86AA, "65353130", "77737706", "47863826"},
};
std::ostream& operator<<(std::ostream& out, const appendix_b_row& row) { return out << "time " << row.time; }

constexpr sys_seconds at(std::int64_t unix_seconds) { return sys_seconds{seconds{unix_seconds}}; }

template <class Totp, std::size_t N>
constexpr bool code_is(const std::array<std::byte, N>& key, std::int64_t time, std::string_view expected) {
    return Totp{key}.code_at(at(time)).value().view() == expected;
}

// Every row at compile time too.
static_assert(code_is<rfc_sha1>(key20, 59, "94287082"));
static_assert(code_is<rfc_sha256>(key32, 59, "46119246"));
static_assert(code_is<rfc_sha512>(key64, 59, "90693936"));
static_assert(code_is<rfc_sha1>(key20, 1111111109, "07081804"));
static_assert(code_is<rfc_sha256>(key32, 1111111109, "68084774"));
static_assert(code_is<rfc_sha512>(key64, 1111111109, "25091201"));
static_assert(code_is<rfc_sha1>(key20, 1111111111, "14050471"));
static_assert(code_is<rfc_sha256>(key32, 1111111111, "67062674"));
static_assert(code_is<rfc_sha512>(key64, 1111111111, "99943326"));
static_assert(code_is<rfc_sha1>(key20, 1234567890, "89005924"));
static_assert(code_is<rfc_sha256>(key32, 1234567890, "91819424"));
static_assert(code_is<rfc_sha512>(key64, 1234567890, "93441116"));
static_assert(code_is<rfc_sha1>(key20, 2000000000, "69279037"));
static_assert(code_is<rfc_sha256>(key32, 2000000000, "90698825"));
static_assert(code_is<rfc_sha512>(key64, 2000000000, "38618901"));
static_assert(code_is<rfc_sha1>(key20, 20000000000, "65353130"));
static_assert(code_is<rfc_sha256>(key32, 20000000000, "77737706"));
static_assert(code_is<rfc_sha512>(key64, 20000000000, "47863826"));

// The design card's spelling compiles as written.
using app_totp = twofactor::totp<twofactor::sha1, 6, 30s>;
static_assert(app_totp::period.seconds == 30 && app_totp::digits == 6 && app_totp::epoch == 0);

// time_step accepts positive whole seconds in any unit and nothing else.
static_assert(twofactor::time_step{30s}.seconds == 30);
static_assert(twofactor::time_step{std::chrono::minutes{2}}.seconds == 120);
static_assert(twofactor::time_step{std::chrono::milliseconds{45000}}.seconds == 45);
static_assert(!twofactor::time_step{std::chrono::milliseconds{1500}}.valid());
static_assert(!twofactor::time_step{0s}.valid());
static_assert(!twofactor::time_step{-30s}.valid());
static_assert(
    !twofactor::time_step{std::chrono::hours{std::numeric_limits<std::int64_t>::max() / 60}}.valid());
#if defined(__SIZEOF_INT128__)
// With -std=gnu++20 (CMake's default) __int128 is an integral type: a count past int64 is no
// step, not its low 64 bits (2^64 + 30 s must not pass for 30 s).
__extension__ using wide_count = __int128;
template <class Rep>
constexpr bool wide_count_is_refused() {
    if constexpr (std::integral<Rep>) {
        const auto two_to_64 = static_cast<Rep>(static_cast<Rep>(1) << 64);
        return !twofactor::time_step{std::chrono::duration<Rep>{two_to_64 + 30}}.valid() &&
               !twofactor::time_step{std::chrono::duration<Rep, std::milli>{two_to_64 * 1000}}.valid() &&
               twofactor::time_step{std::chrono::duration<Rep>{30}}.seconds == 30;
    } else {
        return true;  // -std=c++20: __int128 is no std::integral, so no time_step takes it
    }
}
static_assert(wide_count_is_refused<wide_count>());
#endif

// A test clock whose "now" the test sets.
struct manual_clock {
    using rep = std::int64_t;
    using period = std::ratio<1>;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<manual_clock>;
    static constexpr bool is_steady = false;
    static inline std::int64_t unix_now = 0;
    static time_point now() noexcept { return time_point{duration{unix_now}}; }
};
static_assert(twofactor::otp_clock<manual_clock>);

}  // namespace

BOOST_DATA_TEST_CASE(rfc6238_appendix_b, bdata::make(appendix_b), row) {
    BOOST_TEST(rfc_sha1{key20}.step_at(at(row.time)).value() == row.step);
    BOOST_TEST(rfc_sha1{key20}.code_at(at(row.time)).value().view() == row.sha1_code);
    BOOST_TEST(rfc_sha256{key32}.code_at(at(row.time)).value().view() == row.sha256_code);
    BOOST_TEST(rfc_sha512{key64}.code_at(at(row.time)).value().view() == row.sha512_code);
    // And each code verifies at its own time with offset 0.
    const auto match = rfc_sha512{key64}.verify(row.sha512_code, at(row.time));
    BOOST_TEST(match.value().step == row.step);
    BOOST_TEST(match.value().offset == 0);
}

BOOST_AUTO_TEST_CASE(time_step_index_has_no_overflow_or_underflow) {
    using twofactor::time_step_index;
    constexpr auto int64_min = std::numeric_limits<std::int64_t>::min();
    constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
    BOOST_TEST(time_step_index(0, 30s).value() == 0u);
    BOOST_TEST(time_step_index(29, 30s).value() == 0u);
    BOOST_TEST(time_step_index(30, 30s).value() == 1u);
    BOOST_TEST(time_step_index(-1, 30s).error() == errc::time_before_epoch);
    BOOST_TEST(time_step_index(99, 30s, 100).error() == errc::time_before_epoch);
    BOOST_TEST(time_step_index(100, 30s, 100).value() == 0u);
    BOOST_TEST(time_step_index(int64_max, 1s, int64_min).value() ==
               std::numeric_limits<std::uint64_t>::max());
    BOOST_TEST(time_step_index(int64_min, 1s, int64_min).value() == 0u);
    BOOST_TEST(time_step_index(int64_max, 30s, 0).value() == static_cast<std::uint64_t>(int64_max) / 30);
    BOOST_TEST(time_step_index(100, twofactor::time_step{}).error() == errc::invalid_period);
}

BOOST_AUTO_TEST_CASE(times_before_t0_are_errors_not_wrapped_counters) {
    const totp<sha1, 6, 30s, std::chrono::system_clock, 1'000'000> late_start{key20};
    BOOST_TEST(late_start.code_at(at(999'999)).error() == errc::time_before_epoch);
    BOOST_TEST(late_start.code_at(at(1'000'000)).value() == late_start.code_for_step(0));
    BOOST_TEST(late_start.verify("123456", at(0)).error() == errc::time_before_epoch);
    // T0 shifts the steps: 1'000'059 with T0 = 1'000'000 is step 1, as 59 is with T0 = 0.
    BOOST_TEST(late_start.code_at(at(1'000'059)).value() == app_totp{key20}.code_at(at(59)).value());
    const app_totp from_zero{key20};
    BOOST_TEST(from_zero.code_at(at(-1)).error() == errc::time_before_epoch);
}

BOOST_AUTO_TEST_CASE(sub_second_and_coarse_time_points) {
    const app_totp generator{key20};
    using std::chrono::milliseconds;
    using std::chrono::system_clock;
    using std::chrono::time_point;
    // 59.999 s is still step 1; floor, not round.
    BOOST_TEST(generator.step_at(time_point<system_clock, milliseconds>{milliseconds{59'999}}).value() == 1u);
    BOOST_TEST(generator.step_at(time_point<system_clock, milliseconds>{milliseconds{60'000}}).value() == 2u);
    // -0.5 s floors to -1 s: before the epoch, not step 0.
    BOOST_TEST(generator.step_at(time_point<system_clock, milliseconds>{milliseconds{-500}}).error() ==
               errc::time_before_epoch);
    // Before 1970 with a negative T0: a whole negative second stays that second, a fraction
    // floors to the second before it. T0 = -60 s: -30.000 s is step 1, -30.001 s step 0.
    const totp<sha1, 6, 30s, system_clock, -60> from_1969{key20};
    BOOST_TEST(from_1969.step_at(time_point<system_clock, milliseconds>{milliseconds{-30'000}}).value() ==
               1u);
    BOOST_TEST(from_1969.step_at(time_point<system_clock, milliseconds>{milliseconds{-30'001}}).value() ==
               0u);
    BOOST_TEST(from_1969.step_at(time_point<system_clock, milliseconds>{milliseconds{-60'000}}).value() ==
               0u);
    BOOST_TEST(from_1969.step_at(time_point<system_clock, milliseconds>{milliseconds{-60'001}}).error() ==
               errc::time_before_epoch);
    // A time point in hours that does not fit 64-bit seconds is an error, not overflow.
    using std::chrono::hours;
    BOOST_TEST(
        generator.step_at(time_point<system_clock, hours>{hours{std::numeric_limits<std::int64_t>::max()}})
            .error() == errc::counter_overflow);
    BOOST_TEST(generator.step_at(time_point<system_clock, hours>{hours{1}}).value() == 120u);
}

BOOST_AUTO_TEST_CASE(window_accepts_exactly_its_steps_with_offsets) {
    const app_totp generator{key20};
    const std::int64_t now = 1'700'000'015;  // mid-step
    const std::uint64_t current = generator.step_at(at(now)).value();
    const auto code_at_offset = [&](std::int64_t offset) {
        return std::string(generator.code_for_step(current + static_cast<std::uint64_t>(offset)).view());
    };
    for (std::int64_t offset : {-1, 0, 1}) {
        const auto match = generator.verify(code_at_offset(offset), at(now));
        BOOST_TEST_REQUIRE(match.has_value());
        BOOST_TEST(match->offset == offset);
        BOOST_TEST(match->step == current + static_cast<std::uint64_t>(offset));
    }
    for (std::int64_t offset : {-3, -2, 2, 3})
        BOOST_TEST(generator.verify(code_at_offset(offset), at(now)).error() == errc::wrong_code);
    // Separate past and future sizes (PITFALLS 10).
    const twofactor::verify_window past_only{2, 0};
    BOOST_TEST(generator.verify(code_at_offset(-2), at(now), past_only).value().offset == -2);
    BOOST_TEST(generator.verify(code_at_offset(1), at(now), past_only).error() == errc::wrong_code);
    const twofactor::verify_window future_only{0, 3};
    BOOST_TEST(generator.verify(code_at_offset(3), at(now), future_only).value().offset == 3);
    BOOST_TEST(generator.verify(code_at_offset(-1), at(now), future_only).error() == errc::wrong_code);
    // Window 0 at a step boundary: the step that starts at that second (pyotp#185).
    const std::int64_t boundary = 1'700'000'010;  // a multiple of 30
    BOOST_TEST(boundary % 30 == 0);
    const auto boundary_step = generator.step_at(at(boundary)).value();
    BOOST_TEST(generator.verify(generator.code_for_step(boundary_step).view(), at(boundary), {0, 0})
                   .value()
                   .offset == 0);
    BOOST_TEST(
        generator.verify(generator.code_for_step(boundary_step - 1).view(), at(boundary), {0, 0}).error() ==
        errc::wrong_code);
}

static_assert(twofactor::verify_window{} == twofactor::verify_window{1, 1});  // RFC 6238 §5.2's one step
static_assert(!(twofactor::verify_window{1, 2} == twofactor::verify_window{2, 1}));
static_assert(twofactor::totp_match{7, -1} == twofactor::totp_match{7, -1});
static_assert(!(twofactor::totp_match{7, -1} == twofactor::totp_match{7, 0}));
static_assert(!(twofactor::totp_match{7, 0} == twofactor::totp_match{8, 0}));

BOOST_AUTO_TEST_CASE(window_at_step_zero_does_not_underflow) {
    const app_totp generator{key20};
    BOOST_TEST(generator.verify(generator.code_for_step(0).view(), at(10), {5, 1}).value().offset == 0);
    BOOST_TEST(generator.verify(generator.code_for_step(1).view(), at(10), {5, 1}).value().offset == 1);
}

BOOST_AUTO_TEST_CASE(window_at_the_last_step_does_not_overflow) {
    // With T0 = -2^63 and 1-second steps, time 2^63 - 1 is step 2^64 - 1: the future window
    // stops there instead of wrapping round to step 0.
    constexpr auto int64_min = std::numeric_limits<std::int64_t>::min();
    constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
    constexpr auto max_step = std::numeric_limits<std::uint64_t>::max();
    const twofactor::dynamic_totp<sha1, 6> generator{key20, 1s, int64_min};
    BOOST_TEST(generator.step_at(at(int64_max)).value() == max_step);
    const auto last_code = generator.code_for_step(max_step);
    const auto match = generator.verify(last_code.view(), at(int64_max), {3, 3});
    BOOST_TEST(match.value().step == max_step);
    BOOST_TEST(match.value().offset == 0);
    BOOST_TEST(generator.verify(generator.code_for_step(max_step - 2).view(), at(int64_max), {3, 3})
                   .value()
                   .offset == -2);
    // Accepted once at the last step, it is refused as a replay (the floor cannot go higher).
    BOOST_TEST(generator.verify(last_code.view(), at(int64_max), {3, 3}, max_step).error() ==
               errc::replayed_code);
}

BOOST_AUTO_TEST_CASE(window_size_is_bounded) {
    const app_totp generator{key20};
    const auto limit = static_cast<std::uint32_t>(twofactor::max_verify_candidates);
    BOOST_TEST(generator.verify("123456", at(1'000'000), {limit, 0}).error() == errc::invalid_window);
    BOOST_TEST(generator.verify("123456", at(1'000'000), {0xffffffffU, 0xffffffffU}).error() ==
               errc::invalid_window);
    BOOST_TEST(generator.verify("123456", at(1'000'000), {limit / 2, limit / 2 - 1}).error() !=
               errc::invalid_window);
}

BOOST_AUTO_TEST_CASE(accepted_steps_are_never_accepted_again) {
    // RFC 6238 §5.2: after a code for step s is accepted, nothing at or before s is.
    const app_totp generator{key20};
    const std::int64_t now = 1'700'000'015;
    const auto current = generator.step_at(at(now)).value();
    const auto code_now = std::string(generator.code_for_step(current).view());
    const auto code_before = std::string(generator.code_for_step(current - 1).view());
    const auto code_after = std::string(generator.code_for_step(current + 1).view());

    const auto first = generator.verify(code_now, at(now), {}, std::nullopt);
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(generator.verify(code_now, at(now), {}, first->step).error() == errc::replayed_code);
    BOOST_TEST(generator.verify(code_before, at(now), {}, first->step).error() == errc::replayed_code);
    BOOST_TEST(generator.verify(code_after, at(now), {}, first->step).value().offset == 1);
    // A wrong code is still wrong (not "replayed") when a floor is set.
    BOOST_TEST(
        generator.verify(code_now == "000000" ? "000001" : "000000", at(now), {}, first->step).error() ==
        errc::wrong_code);
    // The floor at the largest step refuses everything without overflowing.
    BOOST_TEST(generator.verify(code_after, at(now), {}, std::numeric_limits<std::uint64_t>::max()).error() ==
               errc::replayed_code);
}

BOOST_AUTO_TEST_CASE(a_used_steps_code_is_accepted_at_a_newer_step_that_has_it_too) {
    // Steps 57766335 and 57766336 (2024-11-30) share the 6-digit code 251166 for the RFC key:
    // a one-in-a-million coincidence that does happen. With 57766335 used, the code typed
    // during 57766336 is that step's code and must be accepted there, not refused as the replay
    // of the older step that also matches.
    const app_totp generator{key20};
    constexpr std::uint64_t used = 57'766'335;
    BOOST_TEST_REQUIRE(generator.code_for_step(used).view() == "251166");
    BOOST_TEST_REQUIRE(generator.code_for_step(used + 1).view() == "251166");
    const auto during_newer = at(static_cast<std::int64_t>(used + 1) * 30 + 7);
    // Without a floor the earliest matching step wins.
    BOOST_TEST(generator.verify("251166", during_newer).value().step == used);
    const auto match = generator.verify("251166", during_newer, {1, 1}, used);
    BOOST_TEST_REQUIRE(match.has_value());
    BOOST_TEST(match->step == used + 1);
    BOOST_TEST(match->offset == 0);
    BOOST_TEST(generator.verify("251166", during_newer, {1, 1}, used + 1).error() == errc::replayed_code);
}

BOOST_AUTO_TEST_CASE(malformed_typed_codes) {
    const app_totp generator{key20};
    for (const char* typed : {"", "12345", "1234567", "12 456", "-12345", "abcdef"})
        BOOST_TEST(generator.verify(typed, at(59)).error() == errc::malformed_code, typed);
}

BOOST_AUTO_TEST_CASE(user_supplied_clock) {
    // A firmware-style clock: code_now and verify_now read it.
    using device_totp = totp<sha1, 8, 30s, manual_clock>;
    const device_totp generator{key20};
    manual_clock::unix_now = 59;
    BOOST_TEST(generator.code_now().value().view() == "94287082");
    BOOST_TEST(generator.verify_now("94287082").value().offset == 0);
    manual_clock::unix_now = 89;
    BOOST_TEST(generator.verify_now("94287082").value().offset == -1);
    manual_clock::unix_now = -5;
    BOOST_TEST(generator.code_now().error() == errc::time_before_epoch);
}

BOOST_AUTO_TEST_CASE(system_clock_now_agrees_with_explicit_time) {
    const app_totp generator{key20};
    // Retry across a step boundary so that both readings fall in one step.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto before = generator.step_at(std::chrono::system_clock::now()).value();
        const auto now_code = generator.code_now().value();
        const auto after = generator.step_at(std::chrono::system_clock::now()).value();
        if (before != after) continue;
        BOOST_TEST(now_code == generator.code_for_step(before));
        BOOST_TEST(generator.verify_now(now_code.view()).value().offset == 0);
        return;
    }
    BOOST_FAIL("clock kept crossing step boundaries");
}

BOOST_AUTO_TEST_CASE(dynamic_totp_matches_the_compile_time_one) {
    using twofactor::dynamic_totp;
    const dynamic_totp<sha256, 8> dynamic{key32, 30s};
    const auto expected = rfc_sha256{key32}.code_at(at(1234567890)).value();
    BOOST_TEST(dynamic.code_at(at(1234567890)).value() == expected);
    BOOST_TEST(dynamic.step().seconds == 30);

    const totp<sha1, 7, 45s, std::chrono::system_clock, 600> fixed{key20};
    const dynamic_totp<sha1, 7> runtime{key20, 45s, 600};
    for (std::int64_t t : {600LL, 644LL, 645LL, 1'000'000LL, 20'000'000'000LL}) {
        BOOST_TEST(fixed.code_at(at(t)).value() == runtime.code_at(at(t)).value());
        BOOST_TEST(fixed.step_at(at(t)).value() == runtime.step_at(at(t)).value());
    }
    BOOST_TEST(runtime.code_at(at(599)).error() == errc::time_before_epoch);
}

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
BOOST_AUTO_TEST_CASE(openssl_backend_is_a_drop_in_hash) {
    // The same template with the OpenSSL backend: no macro, no other change.
    using openssl_totp = totp<twofactor::openssl::sha1, 6, 30s>;
    const openssl_totp with_openssl{key20};
    const app_totp built_in{key20};
    for (std::int64_t t : {59LL, 1111111109LL, 2000000000LL, 20000000000LL})
        BOOST_TEST(with_openssl.code_at(at(t)).value() == built_in.code_at(at(t)).value());
    using openssl_sha512_totp = totp<twofactor::openssl::sha512, 8, 30s>;
    BOOST_TEST(openssl_sha512_totp{key64}.code_at(at(59)).value().view() == "90693936");
}
#endif
