// A fixed-capacity string of bytes (no heap), usable in constant expressions: the issuer and
// account name of an otpauth:// URI, and other short texts of records parsed without
// allocating.
#ifndef TWOFACTOR_DETAIL_STATIC_STRING_HPP_INCLUDED
#define TWOFACTOR_DETAIL_STATIC_STRING_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <array>
#include <cstddef>
#include <string_view>

namespace twofactor::inline v1::detail {

/// Up to `Capacity` chars and a length. Appending beyond the capacity fails (returns false)
/// and leaves the string unchanged; it never truncates. Bytes past `size()` are always zero.
template <std::size_t Capacity>
class static_string {
public:
    constexpr static_string() noexcept = default;

    /// The maximum number of chars.
    [[nodiscard]] static constexpr std::size_t capacity() noexcept { return Capacity; }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
    [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] constexpr const char* data() const noexcept { return data_.data(); }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {data_.data(), size_}; }

    /// Replaces the contents with `text`; false (and no change) when it is longer than the capacity.
    [[nodiscard]] constexpr bool assign(std::string_view text) noexcept {
        if (text.size() > Capacity) return false;
        clear();
        return append(text);
    }
    /// Appends `text`; false (and no change) when the result would exceed the capacity.
    [[nodiscard]] constexpr bool append(std::string_view text) noexcept {
        if (text.size() > Capacity - size_) return false;
        for (const char c : text) data_[size_++] = c;
        return true;
    }
    /// Appends one char; false (and no change) when full.
    [[nodiscard]] constexpr bool push_back(char c) noexcept {
        if (size_ == Capacity) return false;
        data_[size_++] = c;
        return true;
    }
    /// Empties the string (and zeroes its bytes).
    constexpr void clear() noexcept {
        for (std::size_t i = 0; i < size_; ++i) data_[i] = '\0';
        size_ = 0;
    }

    friend constexpr bool operator==(const static_string& a, const static_string& b) noexcept {
        return a.view() == b.view();
    }
    friend constexpr bool operator==(const static_string& a, std::string_view b) noexcept {
        return a.view() == b;
    }

private:
    std::array<char, Capacity> data_{};
    std::size_t size_ = 0;
};

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_STATIC_STRING_HPP_INCLUDED
