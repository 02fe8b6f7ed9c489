// twofactor command-line tool: text that holds secret material (a state file's text, an
// otpauth URI, a QR code of one, a backup codes file), wiped when it is released.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <twofactor/detail/bytes.hpp>

namespace twofactor::cli {

/**
 * A std::string wiped, whole capacity, when it is destroyed or moved from. It is never grown
 * after it is made (size it first: `of_size`, then write in place), because a std::string that
 * grows frees its old buffer unwiped, and that copy stays in the heap.
 */
class sensitive_text {
public:
    sensitive_text() noexcept = default;
    explicit sensitive_text(std::string&& text) noexcept : text_(std::move(text)) {}
    /// `size` bytes to write in place through `data()`.
    [[nodiscard]] static sensitive_text of_size(std::size_t size) {
        return sensitive_text(std::string(size, '\0'));
    }

    sensitive_text(const sensitive_text&) = delete;
    sensitive_text& operator=(const sensitive_text&) = delete;
    sensitive_text(sensitive_text&& other) noexcept : text_(std::move(other.text_)) { other.wipe(); }
    sensitive_text& operator=(sensitive_text&& other) noexcept {
        if (this != &other) {
            wipe();
            text_ = std::move(other.text_);
            other.wipe();
        }
        return *this;
    }
    ~sensitive_text() { wipe(); }

    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    [[nodiscard]] char* data() noexcept { return text_.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return text_.size(); }
    /// Keeps the first `size` bytes (after writing fewer than `of_size` made room for).
    void truncate(std::size_t size) noexcept {
        if (size < text_.size()) {
            twofactor::detail::secure_wipe_bytes(text_.data() + size, text_.size() - size);
            text_.resize(size);  // shrinking never reallocates
        }
    }

private:
    // The whole capacity: also what a moved-from short string left in its inline buffer.
    void wipe() noexcept { twofactor::detail::secure_wipe_bytes(text_.data(), text_.capacity()); }

    std::string text_;
};

}  // namespace twofactor::cli
