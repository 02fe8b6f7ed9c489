// libFuzzer target: what users type. otp_code<6..9>::parse, backup_code::parse and
// backup_code_set::consume of arbitrary text.
//
// Input: arbitrary text, except that an input starting with byte 0x01 stands for "a real code
// of the set": byte 1 picks which (of 2), the following bytes lowercase (bit 0), insert a space
// before (bit 1) or a hyphen after (bit 2) each character of its grouped form. That lets the
// fuzzer reach the success path, which no mutation of random text can (the set keeps only
// PBKDF2 digests).
//
// Invariants:
//   - otp_code<D>::parse succeeds exactly for D ASCII digits (checked independently), and its
//     view() is the text and parses back equal;
//   - backup_code::parse succeeds exactly for 12 symbols of the alphabet in either case with
//     spaces, tabs and hyphens anywhere (checked independently); the normalised and the grouped
//     forms parse back equal, and they have the documented shape;
//   - consume on a copy of a fixed backup_code_set<2> (made once, 1,000 PBKDF2 iterations): a
//     malformed input is malformed_backup_code and leaves the set unchanged; a wrong code is
//     wrong_code, unchanged; a right code marks exactly that code used, and consuming it again
//     is backup_code_used, unchanged.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include <twofactor/backup_codes.hpp>
#include <twofactor/otp_code.hpp>

#include "fuzz_support.hpp"

namespace tf = twofactor;

namespace {

// The fixed random sequence of this target (fuzz_support::fixed_random: never for secrets).
constexpr std::uint64_t fixed_seed = 0x13198A2E03707344u;

using code_set = tf::backup_code_set<2>;

const tf::generated_backup_codes<2, tf::sha256>& fixed_set() {
    static const auto generated = [] {
        fuzz_support::fixed_random rng{fixed_seed};
        auto made = code_set::generate(rng, tf::min_backup_code_iterations);
        FUZZ_CHECK(made.has_value());
        return *made;
    }();
    return generated;
}

template <unsigned D>
void check_otp_code(std::string_view text) {
    const bool expected = text.size() == D &&
                          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const auto code = tf::otp_code<D>::parse(text);
    FUZZ_CHECK(code.has_value() == expected);
    if (!code) {
        FUZZ_CHECK(code.error() == tf::errc::malformed_code);
        return;
    }
    FUZZ_CHECK(code->view() == text);
    const auto again = tf::otp_code<D>::parse(code->view());
    FUZZ_CHECK(again.has_value() && *again == *code);
}

bool is_symbol(char c) {
    const char upper = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    return tf::backup_code_alphabet.find(upper) != std::string_view::npos;
}

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '-'; }

// Checks backup_code::parse of `text` against an independent reading; returns the code's
// normalised form (empty when malformed).
std::string check_backup_code(std::string_view text) {
    std::string symbols;
    bool well_formed = true;
    for (const char c : text) {
        if (is_separator(c)) continue;
        if (!is_symbol(c)) {
            well_formed = false;
            break;
        }
        symbols += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    }
    well_formed = well_formed && symbols.size() == tf::backup_code_length;

    const auto code = tf::backup_code::parse(text);
    FUZZ_CHECK(code.has_value() == well_formed);
    if (!code) {
        FUZZ_CHECK(code.error() == tf::errc::malformed_backup_code);
        return {};
    }
    FUZZ_CHECK(code->reveal_normalised() == symbols);
    const auto grouped = code->reveal_grouped();
    const std::string_view grouped_text(grouped.data(), grouped.size());
    FUZZ_CHECK(grouped_text.size() == tf::backup_code_display_size);
    for (std::size_t i = 0; i < grouped_text.size(); ++i) {
        if (i % (tf::backup_code_group_size + 1) == tf::backup_code_group_size)
            FUZZ_CHECK(grouped_text[i] == '-');
        else
            FUZZ_CHECK(tf::backup_code_alphabet.find(grouped_text[i]) != std::string_view::npos);
    }
    for (const std::string_view form : {code->reveal_normalised(), grouped_text}) {
        const auto again = tf::backup_code::parse(form);
        FUZZ_CHECK(again.has_value() && *again == *code);
    }
    return symbols;
}

void check_consume(std::string_view text, const std::string& normalised) {
    const auto& fixed = fixed_set();
    code_set set = fixed.set;
    const auto used = set.consume(text);
    if (normalised.empty()) {
        FUZZ_CHECK(!used && used.error() == tf::errc::malformed_backup_code);
        FUZZ_CHECK(set == fixed.set);
        return;
    }
    std::size_t index = code_set::count;
    for (std::size_t i = 0; i < code_set::count; ++i)
        if (fixed.codes[i].reveal_normalised() == normalised) index = i;
    if (index == code_set::count) {
        FUZZ_CHECK(!used && used.error() == tf::errc::wrong_code);
        FUZZ_CHECK(set == fixed.set);
        return;
    }
    FUZZ_CHECK(used.has_value());
    FUZZ_CHECK(used->index == index);
    FUZZ_CHECK(used->remaining == code_set::count - 1);
    FUZZ_CHECK(set.used(index) && set.remaining() == code_set::count - 1);
    for (std::size_t i = 0; i < code_set::count; ++i)
        if (i != index) FUZZ_CHECK(!set.used(i));
    const code_set after = set;
    const auto again = set.consume(text);
    FUZZ_CHECK(!again && again.error() == tf::errc::backup_code_used);
    FUZZ_CHECK(set == after);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (size >= 2 && data[0] == 0x01) {
        // A real code of the set, as a user might type it.
        const auto grouped = fixed_set().codes[data[1] % code_set::count].reveal_grouped();
        text.clear();
        for (std::size_t i = 0; i < grouped.size(); ++i) {
            const unsigned style = 2 + i < size ? data[2 + i] : 0;
            char c = grouped[i];
            if ((style & 1u) && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (style & 2u) text += ' ';
            text += c;
            if (style & 4u) text += '-';
        }
    }
    check_otp_code<6>(text);
    check_otp_code<7>(text);
    check_otp_code<8>(text);
    check_otp_code<9>(text);
    const std::string normalised = check_backup_code(text);
    check_consume(text, normalised);
    return 0;
}
