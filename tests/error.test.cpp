// Tests of include/twofactor/error.hpp: errc and std::error_code, and result<T, E>.
#include <boost/test/unit_test.hpp>

#include <twofactor/error.hpp>

#include <set>
#include <string>

#include <system_error>
#include "support/test_support.hpp"

using twofactor::errc;
using twofactor::result;
using twofactor::unexpected;

namespace {
constexpr result<int> half(int value) {
    if (value % 2 != 0) return unexpected(errc::invalid_number);
    return value / 2;
}
static_assert(half(8).value() == 4);
static_assert(half(7).error() == errc::invalid_number);
static_assert(half(8).and_then(half).value() == 2);
static_assert(half(8).and_then(half).and_then(half).and_then(half).error() == errc::invalid_number);
static_assert(half(6).transform([](int v) { return v + 1; }).value() == 4);
static_assert(half(5).value_or(-1) == -1);
static_assert(!half(1).has_value() && half(2).has_value());
static_assert(half(1) == unexpected(errc::invalid_number));
static_assert(half(2) == result<int>(1));
static_assert(std::is_trivially_copyable_v<result<int>>);

// Equality, every combination, for a value type and for void: values compare by value, errors
// by error, and a value never equals an error (also when they hold the same number).
template <class R>
constexpr bool equality_is_exact(R value_a, R value_b) {
    const R error_a = unexpected(errc::invalid_number);
    const R error_b = unexpected(errc::wrong_code);
    const R same_number = unexpected(static_cast<errc>(1));
    return value_a == value_a && error_a == error_a && !(error_a == error_b) && !(error_b == error_a) &&
           !(value_a == error_a) && !(error_a == value_a) && !(value_b == same_number) &&
           !(same_number == value_b) && error_a == unexpected(errc::invalid_number) &&
           !(error_a == unexpected(errc::wrong_code)) && !(value_a == unexpected(errc::invalid_number)) &&
           (error_a != error_b) && (value_a != error_a) && !(error_a != unexpected(errc::invalid_number)) &&
           (value_a != unexpected(errc::invalid_number));
}
static_assert(equality_is_exact<result<int>>(1, 1));
static_assert(result<int>(1) != result<int>(2) && !(result<int>(1) == result<int>(2)));
static_assert(equality_is_exact<result<void>>({}, {}));

// The monadic operations call as std::invoke does, pointers to members included.
struct reading {
    int value;
    bool checked;
    [[nodiscard]] constexpr int doubled() const { return 2 * value; }
    [[nodiscard]] constexpr result<int> checked_value() const {
        if (!checked) return unexpected(errc::invalid_number);
        return value;
    }
};
struct labelled_reading : reading {};
constexpr result<reading> read(int value, bool checked) { return reading{value, checked}; }
static_assert(read(4, true).transform(&reading::doubled).value() == 8);
static_assert(read(4, true).and_then(&reading::checked_value).value() == 4);
static_assert(read(4, false).and_then(&reading::checked_value).error() == errc::invalid_number);
static_assert(result<labelled_reading>(labelled_reading{{3, true}}).transform(&reading::doubled).value() ==
              6);
constexpr reading stored{5, true};
static_assert(result<const reading*>(&stored).transform(&reading::doubled).value() == 10);
static_assert(twofactor::detail::invoke(&reading::value, stored) == 5);
static_assert(twofactor::detail::invoke(&reading::value, &stored) == 5);
}  // namespace

BOOST_AUTO_TEST_CASE(every_errc_converts_to_a_described_error_code) {
    std::set<std::string> messages;
    const auto last = static_cast<int>(twofactor::detail::last_errc);
    for (int value = 1; value <= last; ++value) {
        const std::error_code code = static_cast<errc>(value);
        BOOST_TEST(code.category().name() == std::string("twofactor"));
        BOOST_TEST(code.value() == value);
        BOOST_TEST(code.message() != "unknown twofactor error", value);
        BOOST_TEST(code.message() == std::string(twofactor::describe(static_cast<errc>(value))));
        messages.insert(code.message());
    }
    // One distinct message per distinct failure.
    BOOST_TEST(messages.size() == static_cast<std::size_t>(last));
    BOOST_TEST(twofactor::describe(static_cast<errc>(last + 1)) == "unknown twofactor error");
    BOOST_TEST(std::error_code(errc::wrong_code) == errc::wrong_code);
    BOOST_TEST(std::error_code(errc::wrong_code) != std::error_code(errc::replayed_code));
    BOOST_TEST(&twofactor::error_category() == &std::error_code(errc::wrong_code).category());
}

BOOST_AUTO_TEST_CASE(result_with_a_non_trivial_value) {
    result<std::string> text("abc");
    BOOST_TEST(text.value() == "abc");
    BOOST_TEST(text->size() == 3u);
    result<std::string> copy = text;
    BOOST_TEST(*copy == "abc");
    copy = result<std::string>(unexpected(errc::wrong_code));
    BOOST_TEST(!copy);
    BOOST_TEST(copy.error() == errc::wrong_code);
    copy = text;
    BOOST_TEST(*copy == "abc");
    result<std::string> moved = std::move(copy);
    BOOST_TEST(*moved == "abc");
    BOOST_TEST(std::move(moved).value_or("x") == "abc");
    const auto length = text.transform([](const std::string& s) { return s.size(); });
    BOOST_TEST(length.value() == 3u);
    const auto recovered = result<std::string>(unexpected(errc::malformed_code)).or_else([](errc e) {
        return result<std::string>(std::string(twofactor::describe(e)));
    });
    BOOST_TEST(recovered.value() == "malformed code");
    const auto as_error_code =
        result<int>(unexpected(errc::wrong_code)).transform_error([](errc e) { return std::error_code(e); });
    BOOST_TEST(as_error_code.error() == std::error_code(errc::wrong_code));
}

BOOST_AUTO_TEST_CASE(result_of_void) {
    const result<void> ok;
    const result<void> failed = unexpected(errc::wrong_code);
    BOOST_TEST(ok.has_value());
    BOOST_TEST(!failed.has_value());
    BOOST_TEST(failed.error() == errc::wrong_code);
    BOOST_TEST(ok.transform([] { return 5; }).value() == 5);
    BOOST_TEST(failed.transform([] { return 5; }).error() == errc::wrong_code);
    BOOST_TEST(ok.and_then([] { return result<int>(unexpected(errc::invalid_digits)); }).error() ==
               errc::invalid_digits);
    BOOST_TEST(failed.or_else([](errc) { return result<void>(); }).has_value());
    BOOST_TEST((ok == result<void>()));
    BOOST_TEST((failed == unexpected(errc::wrong_code)));
}
