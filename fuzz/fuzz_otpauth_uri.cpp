// libFuzzer target: otpauth:// Key URI parsing (otpauth_uri::parse) of arbitrary text.
//
// Invariants:
//   - failure: the position is within the text (or equal to its length), at the culprit where
//     the error names one ('#', '%', a parameter after '&', the scheme at 0);
//   - success: the URI written by reveal_uri (exactly uri_size() characters, the same text as
//     reveal_uri_string) parses again to an equal otpauth_uri without an issuer mismatch, and
//     writing that one gives the same text again (the written form is canonical);
//   - a too small buffer is refused with output_too_small and left untouched;
//   - make() with the parsed names, key and parameters gives an equal URI, except for an issuer
//     containing a ':' (which parse accepts when encoded and make refuses by design);
//   - the parsed values are within their documented ranges.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <twofactor/otpauth_uri.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;

namespace {

std::string reveal(const tf::otpauth_uri& uri) {
    const std::size_t size = uri.uri_size();
    FUZZ_CHECK(size <= tf::otpauth_uri::max_size);
    std::vector<char> buffer(size + 1, '#');
    const auto n = uri.reveal_uri(std::span<char>(buffer.data(), size));
    FUZZ_CHECK(n.has_value() && *n == size);
    FUZZ_CHECK(buffer[size] == '#');
    std::string text(buffer.data(), size);
    FUZZ_CHECK(text == uri.reveal_uri_string());
    if (size > 0) {
        std::vector<char> small(size - 1, '#');
        const auto failed = uri.reveal_uri(small);
        FUZZ_CHECK(!failed && failed.error() == tf::errc::output_too_small);
        FUZZ_CHECK(std::all_of(small.begin(), small.end(), [](char c) { return c == '#'; }));
    }
    return text;
}

void check_values(const tf::otpauth_uri& uri) {
    FUZZ_CHECK(!uri.account().empty());
    FUZZ_CHECK(uri.account().front() != ' ');
    FUZZ_CHECK(uri.account().find(':') == std::string_view::npos);
    FUZZ_CHECK(uri.account().size() <= tf::max_label_part_size);
    FUZZ_CHECK(uri.issuer().size() <= tf::max_label_part_size);
    FUZZ_CHECK(!uri.key().empty() && uri.key().size() <= tf::secret::max_size);
    FUZZ_CHECK(uri.digits() >= 6 && uri.digits() <= 9);
    FUZZ_CHECK(tf::check_parameters(uri.parameters()).has_value());
    if (uri.type() == tf::otp_type::totp) {
        FUZZ_CHECK(uri.period() >= 1 && uri.period() <= tf::max_uri_period);
        FUZZ_CHECK(uri.counter() == 0);
    } else {
        FUZZ_CHECK(uri.period() == 30);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto uri = tf::otpauth_uri::parse(text);
    if (!uri) {
        const tf::uri_error e = uri.error();
        FUZZ_CHECK(e.position <= text.size());
        switch (e.code) {
            case tf::errc::invalid_uri_scheme: FUZZ_CHECK(e.position == 0); break;
            case tf::errc::unsupported_otp_type: FUZZ_CHECK(e.position == 10); break;  // after "otpauth://"
            case tf::errc::invalid_uri_syntax: FUZZ_CHECK(text[e.position] == '#'); break;
            case tf::errc::invalid_percent_encoding: FUZZ_CHECK(text[e.position] == '%'); break;
            case tf::errc::missing_secret:
            case tf::errc::missing_counter: FUZZ_CHECK(e.position == text.size()); break;
            case tf::errc::duplicate_parameter:
                FUZZ_CHECK(text[e.position - 1] == '&' || text[e.position - 1] == '?');
                break;
            case tf::errc::invalid_base32_character:
            case tf::errc::invalid_base32_length:
            case tf::errc::non_canonical_base32:
            case tf::errc::invalid_utf8:
            case tf::errc::invalid_label: FUZZ_CHECK(e.position < text.size()); break;
            default: break;
        }
        return 0;
    }
    check_values(*uri);

    const std::string written = reveal(*uri);
    const auto again = tf::otpauth_uri::parse(written);
    if (!again) {
        std::fprintf(stderr, "written URI rejected: errc %d at %zu: %s\n",
                     static_cast<int>(again.error().code), again.error().position, written.c_str());
    }
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *uri);
    FUZZ_CHECK(!again->issuer_mismatch());
    FUZZ_CHECK(again->issuer() == uri->issuer() && again->account() == uri->account());
    FUZZ_CHECK(reveal(*again) == written);

    const auto made = tf::otpauth_uri::make(uri->issuer(), uri->account(), uri->key(), uri->parameters());
    if (made) {
        FUZZ_CHECK(*made == *uri);
        FUZZ_CHECK(reveal(*made) == written);
    } else {
        FUZZ_CHECK(made.error() == tf::errc::invalid_label);
        FUZZ_CHECK(uri->issuer().find(':') != std::string_view::npos);
    }

    const tf::compatibility_report report = tf::check_compatibility(*uri);
    FUZZ_CHECK(tf::compatibility_warnings(report).size() <= 4);
    FUZZ_CHECK(report.clean() == tf::compatibility_warnings(report).empty());
    return 0;
}
