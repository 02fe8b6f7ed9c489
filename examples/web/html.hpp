// twofactor web example: HTML building blocks: escaping (everything user-supplied or
// variable goes through escape()), the page frame, forms with their CSRF field, messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace web {

/// `text` with & < > " ' replaced by character references: safe in element content and in
/// quoted attribute values.
[[nodiscard]] std::string escape(std::string_view text);

/// What every page frame needs: who is signed in (for the header) and the session's CSRF token.
struct frame_info {
    std::optional<std::string> user_name;
    std::string csrf_token;
};

/// A whole HTML document: header (with Sign out when signed in), `body_html` (already HTML).
[[nodiscard]] std::string page(std::string_view title, const frame_info& frame, std::string_view body_html);

/// The hidden form field carrying the CSRF token.
[[nodiscard]] std::string csrf_field(std::string_view token);

/// A POST form with the CSRF field, `inner_html` and one submit button.
[[nodiscard]] std::string post_button(std::string_view action, std::string_view csrf_token,
                                      std::string_view label, std::string_view css_class = "");

/// An error message (role="alert") or a notice (role="status"); empty when there is none.
[[nodiscard]] std::string error_message(const std::optional<std::string>& text);
[[nodiscard]] std::string notice_message(const std::optional<std::string>& text);

/// The style sheet, served at /style.css (the Content-Security-Policy forbids inline styles).
[[nodiscard]] std::string_view style_sheet();

}  // namespace web
