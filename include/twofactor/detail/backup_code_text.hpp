// twofactor: the lines of a stored backup_code_set inside a record's text form (the account
// record, the enrollment wizard's state):
//
//     backup-codes <N> pbkdf2-<hash name in lowercase> <iterations> <salt: lowercase hex>
//     backup-code <i> used|unused <digest: lowercase hex>          (i = 1..N, each once)
#ifndef TWOFACTOR_DETAIL_BACKUP_CODE_TEXT_HPP_INCLUDED
#define TWOFACTOR_DETAIL_BACKUP_CODE_TEXT_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../backup_codes.hpp"
#include "../error.hpp"
#include "../hash.hpp"
#include "record_text.hpp"

namespace twofactor::inline v1::detail {

inline constexpr std::string_view backup_codes_field = "backup-codes";
inline constexpr std::string_view backup_code_field = "backup-code";

/// Whether `text` is "pbkdf2-" and H's name in lowercase ("pbkdf2-sha256").
template <hash_function H>
[[nodiscard]] constexpr bool pbkdf2_name_matches(std::string_view text) noexcept {
    constexpr std::string_view prefix = "pbkdf2-";
    const std::string_view name = H::name;
    if (text.size() != prefix.size() + name.size() || text.substr(0, prefix.size()) != prefix) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (text[prefix.size() + i] != c) return false;
    }
    return true;
}

template <std::size_t N, hash_function H>
constexpr void write_backup_code_set(record_writer& w, const backup_code_set<N, H>& set) noexcept {
    w.field(backup_codes_field);
    w.number(N);
    w.put(" pbkdf2-");
    for (const char c : std::string_view(H::name)) {
        const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        w.put(std::string_view(&lower, 1));
    }
    w.put(" ");
    w.number(set.iterations());
    w.put(" ");
    w.hex(set.salt());
    w.end_line();
    for (std::size_t i = 0; i < N; ++i) {
        w.field(backup_code_field);
        w.number(i + 1);
        w.put(set.used(i) ? " used " : " unused ");
        w.hex(set.digest(i));
        w.end_line();
    }
}

/// Collects the backup-code lines of a record while its fields are read, then rebuilds the set.
template <std::size_t N, hash_function H>
class backup_code_set_reader {
public:
    using set_type = backup_code_set<N, H>;

    /// Takes `line` if it is one of the set's; false (nothing taken) for any other field.
    /// Errors: duplicate_field, invalid_field_value (a malformed index).
    [[nodiscard]] constexpr result<bool, record_error> take(const record_line& line) noexcept {
        if (line.name == backup_codes_field) {
            if (header_line_ != 0) return unexpected(record_error{errc::duplicate_field, line.number});
            header_ = line.value;
            header_line_ = line.number;
            return true;
        }
        if (line.name != backup_code_field) return false;
        // "<i> used|unused <digest>"
        const std::size_t space = line.value.find(' ');
        std::uint64_t i = 0;
        if (space == std::string_view::npos || !parse_decimal(line.value.substr(0, space), i, N) || i == 0)
            return unexpected(record_error{errc::invalid_field_value, line.number});
        if (code_line_numbers_[i - 1] != 0)
            return unexpected(record_error{errc::duplicate_field, line.number});
        codes_[i - 1] = line.value.substr(space + 1);
        code_line_numbers_[i - 1] = line.number;
        return true;
    }

    /// The number of the first line of the set that was taken; 0 when none was.
    [[nodiscard]] constexpr std::size_t first_line() const noexcept {
        std::size_t first = header_line_;
        for (const std::size_t number : code_line_numbers_)
            if (number != 0 && (first == 0 || number < first)) first = number;
        return first;
    }

    /// The set. Errors: missing_field (line 0), invalid_field_value, invalid_hash_cost.
    [[nodiscard]] constexpr result<set_type, record_error> finish() const noexcept {
        if (header_line_ == 0) return unexpected(record_error{errc::missing_field, 0});
        // "<N> pbkdf2-<hash> <iterations> <salt hex>"
        std::array<std::string_view, 4> parts{};
        std::string_view rest = header_;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const std::size_t space = rest.find(' ');
            if ((space == std::string_view::npos) != (i + 1 == parts.size()))
                return unexpected(record_error{errc::invalid_field_value, header_line_});
            parts[i] = rest.substr(0, space);
            rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
        }
        std::uint64_t count = 0;
        std::uint64_t iterations = 0;
        std::array<std::byte, set_type::salt_size> salt{};
        if (!parse_decimal(parts[0], count) || count != N || !pbkdf2_name_matches<H>(parts[1]) ||
            !parse_decimal(parts[2], iterations) || !parse_hex(parts[3], salt))
            return unexpected(record_error{errc::invalid_field_value, header_line_});
        std::array<typename set_type::digest_type, N> digests{};
        std::array<bool, N> used{};
        for (std::size_t i = 0; i < N; ++i) {
            if (code_line_numbers_[i] == 0) return unexpected(record_error{errc::missing_field, 0});
            const std::string_view code = codes_[i];
            const std::size_t space = code.find(' ');
            const std::string_view flag = code.substr(0, space);
            if (space == std::string_view::npos || (flag != "used" && flag != "unused") ||
                !parse_hex(code.substr(space + 1), digests[i]))
                return unexpected(record_error{errc::invalid_field_value, code_line_numbers_[i]});
            used[i] = flag == "used";
        }
        const auto set = set_type::from_parts(
            salt, iterations > max_backup_code_iterations ? 0 : static_cast<std::uint32_t>(iterations),
            digests, used);
        if (!set) return unexpected(record_error{set.error(), header_line_});
        return *set;
    }

private:
    std::string_view header_;
    std::size_t header_line_ = 0;
    std::array<std::string_view, N> codes_{};
    std::array<std::size_t, N> code_line_numbers_{};
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_BACKUP_CODE_TEXT_HPP_INCLUDED
