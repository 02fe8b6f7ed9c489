// What the fuzz targets share: the invariant check, and helpers for the line-based stored texts
// (account records and wizard state).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <twofactor/detail/record_text.hpp>
#include <twofactor/error.hpp>
#include <twofactor/otpauth_uri.hpp>
#include <twofactor/random.hpp>

// Aborts with the file, line and condition when an invariant does not hold: a finding.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace fuzz_support {

// The number of lines of `text` (a last line without '\n' counts).
inline std::size_t line_count(std::string_view text) {
    std::size_t lines = 0;
    for (const char c : text) lines += c == '\n' ? 1 : 0;
    if (!text.empty() && text.back() != '\n') ++lines;
    return lines;
}

// The text with its last line, if it is a checksum line, replaced by the right checksum (and a
// final '\n' added when missing): random bytes never carry a valid SHA-256.
inline std::string with_fixed_checksum(std::string_view text) {
    std::string body(text);
    if (!body.empty() && body.back() != '\n') body += '\n';
    const std::size_t last_start = body.size() < 2 ? 0 : body.find_last_of('\n', body.size() - 2) + 1;
    if (std::string_view(body).substr(last_start).starts_with("checksum")) body.resize(last_start);
    const auto digest = twofactor::detail::record_writer::checksum_of(body);
    body += "checksum ";
    for (const std::byte b : digest.bytes) {
        const auto v = std::to_integer<unsigned>(b);
        body += "0123456789abcdef"[v >> 4];
        body += "0123456789abcdef"[v & 15];
    }
    body += '\n';
    return body;
}

// Whether two stored texts have the same header line and the same field lines, in any order: the
// parsers accept fields in any order between the header and the checksum, which covers the
// order (so the checksum lines differ when the order does and are left out).
inline bool same_fields(std::string_view a, std::string_view b) {
    const auto lines_of = [](std::string_view text) {
        std::vector<std::string_view> lines;
        while (!text.empty()) {
            const std::size_t end = text.find('\n');
            lines.push_back(text.substr(0, end));
            text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        }
        return lines;
    };
    auto lines_a = lines_of(a);
    auto lines_b = lines_of(b);
    if (lines_a.size() != lines_b.size() || lines_a.size() < 2 || lines_a.front() != lines_b.front())
        return false;
    lines_a.pop_back();
    lines_b.pop_back();
    std::sort(lines_a.begin() + 1, lines_a.end());
    std::sort(lines_b.begin() + 1, lines_b.end());
    return lines_a == lines_b;
}

// The text form of a record or wizard through both serialize() overloads, which must agree: the
// buffer one writes exactly serialized_size() bytes and not one more.
template <class T>
std::string serialize(const T& value) {
    const std::size_t size = value.serialized_size();
    std::string text(size + 1, '#');
    const auto n = value.serialize(std::span<char>(text.data(), size));
    FUZZ_CHECK(n.has_value() && *n == size);
    FUZZ_CHECK(text.back() == '#');
    text.pop_back();
    FUZZ_CHECK(text == value.serialize());
    return text;
}

// The Key URI of `uri` through both reveal_uri overloads, which must agree: the buffer one writes
// exactly uri_size() characters and not one more, and refuses a buffer one too small untouched.
inline std::string reveal_uri(const twofactor::otpauth_uri& uri) {
    const std::size_t size = uri.uri_size();
    FUZZ_CHECK(size <= twofactor::otpauth_uri::max_size);
    std::vector<char> buffer(size + 1, '#');
    const auto n = uri.reveal_uri(std::span<char>(buffer.data(), size));
    FUZZ_CHECK(n.has_value() && *n == size);
    FUZZ_CHECK(buffer[size] == '#');
    std::string text(buffer.data(), size);
    FUZZ_CHECK(text == uri.reveal_uri_string());
    if (size > 0) {
        std::vector<char> small(size - 1, '#');
        const auto failed = uri.reveal_uri(small);
        FUZZ_CHECK(!failed && failed.error() == twofactor::errc::output_too_small);
        FUZZ_CHECK(std::all_of(small.begin(), small.end(), [](char c) { return c == '#'; }));
    }
    return text;
}

// What holds for every otpauth_uri, however made: names within limits, an account without a
// leading space or a ':', a secret of 1..64 bytes, valid parameters, the unused field reset.
inline void check_uri_values(const twofactor::otpauth_uri& uri) {
    namespace tf = twofactor;
    FUZZ_CHECK(!uri.account().empty());
    FUZZ_CHECK(uri.account().front() != ' ');
    FUZZ_CHECK(uri.account().find(':') == std::string_view::npos);
    FUZZ_CHECK(uri.account().size() <= tf::max_label_part_size);
    FUZZ_CHECK(uri.issuer().size() <= tf::max_label_part_size);
    FUZZ_CHECK(!uri.key().empty() && uri.key().size() <= tf::secret::max_size);
    FUZZ_CHECK(tf::check_parameters(uri.parameters()).has_value());
    if (uri.type() == tf::otp_type::totp) {
        FUZZ_CHECK(uri.counter() == 0);
    } else {
        FUZZ_CHECK(uri.period() == 30);
    }
}

// The URI `uri` writes parses back equal (without an issuer mismatch) and writes the same text;
// `make` builds the same, unless the issuer holds a ':' (which only parsing accepts).
inline void check_uri_round_trip(const twofactor::otpauth_uri& uri) {
    namespace tf = twofactor;
    const std::string written = reveal_uri(uri);
    const auto again = tf::otpauth_uri::parse(written);
    if (!again) {
        std::fprintf(stderr, "written URI rejected: errc %d at %zu: %s\n",
                     static_cast<int>(again.error().code), again.error().position, written.c_str());
    }
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == uri);
    FUZZ_CHECK(!again->issuer_mismatch());
    FUZZ_CHECK(again->issuer() == uri.issuer() && again->account() == uri.account());
    FUZZ_CHECK(reveal_uri(*again) == written);

    const auto made = tf::otpauth_uri::make(uri.issuer(), uri.account(), uri.key(), uri.parameters());
    if (made) {
        FUZZ_CHECK(*made == uri);
        FUZZ_CHECK(reveal_uri(*made) == written);
    } else {
        FUZZ_CHECK(made.error() == tf::errc::invalid_label);
        FUZZ_CHECK(uri.issuer().find(':') != std::string_view::npos);
    }
}

// NOT a random source for secrets: a fixed xorshift sequence from `seed`, so that findings and
// seed corpora reproduce.
class fixed_random {
public:
    explicit constexpr fixed_random(std::uint64_t seed) noexcept : state_(seed) {}

    [[nodiscard]] twofactor::result<void> fill(std::span<std::byte> out) noexcept {
        for (std::byte& b : out) {
            state_ ^= state_ << 13;
            state_ ^= state_ >> 7;
            state_ ^= state_ << 17;
            b = static_cast<std::byte>(state_ >> 32);
        }
        return {};
    }

private:
    std::uint64_t state_;
};

}  // namespace fuzz_support

template <>
inline constexpr bool twofactor::enable_random_source<fuzz_support::fixed_random> = true;
