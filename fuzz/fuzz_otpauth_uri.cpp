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
    fuzz_support::check_uri_values(*uri);
    fuzz_support::check_uri_round_trip(*uri);

    const tf::compatibility_report report = tf::check_compatibility(*uri);
    FUZZ_CHECK(tf::compatibility_warnings(report).size() <= 4);
    FUZZ_CHECK(report.clean() == tf::compatibility_warnings(report).empty());
    return 0;
}
