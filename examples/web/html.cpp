// twofactor web example: HTML building blocks.
#include "html.hpp"

namespace web {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string csrf_field(std::string_view token) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(token) + "\">";
}

std::string post_button(std::string_view action, std::string_view csrf_token, std::string_view label,
                        std::string_view css_class) {
    return "<form method=\"post\" action=\"" + escape(action) + "\" class=\"inline\">" +
           csrf_field(csrf_token) + "<button type=\"submit\"" +
           (css_class.empty() ? "" : " class=\"" + escape(css_class) + "\"") + ">" + escape(label) +
           "</button></form>";
}

std::string error_message(const std::optional<std::string>& text) {
    return text ? "<p class=\"error\" role=\"alert\">" + escape(*text) + "</p>" : "";
}

std::string notice_message(const std::optional<std::string>& text) {
    return text ? "<p class=\"notice\" role=\"status\">" + escape(*text) + "</p>" : "";
}

std::string page(std::string_view title, const frame_info& frame, std::string_view body_html) {
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>" +
        escape(title) +
        " - ACME Co</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body>"
        "<header><span class=\"brand\">ACME Co</span>";
    if (frame.user_name) {
        html += "<nav><a href=\"/settings/authentication\">Settings</a> <span class=\"user\">Signed in as " +
                escape(*frame.user_name) + "</span> " + post_button("/logout", frame.csrf_token, "Sign out") +
                "</nav>";
    }
    html += "</header>\n<main>";
    html += body_html;
    html +=
        "</main><footer>A demo of the twofactor C++ library: no TLS, do not expose it to a network."
        "</footer></body></html>\n";
    return html;
}

std::string_view style_sheet() {
    return R"css(body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #f4f5f7; }
header { display: flex; justify-content: space-between; align-items: center; padding: 0.6em 1.5em;
         background: #1d2330; color: #fff; }
header a, header .user { color: #fff; margin-right: 1em; }
header button { background: none; border: 1px solid #fff; color: #fff; }
.brand { font-weight: bold; }
main { max-width: 46em; margin: 2em auto; padding: 1.5em 2em; background: #fff; border-radius: 6px; }
footer { text-align: center; font-size: 0.8em; color: #667; margin-bottom: 2em; }
form.inline { display: inline; }
label { display: block; margin: 0.8em 0 0.3em; }
input[type=text], input[type=password] { font-size: 1.1em; padding: 0.35em; width: 18em; }
button { font-size: 1em; padding: 0.4em 1em; margin: 0.8em 0.5em 0 0; border-radius: 4px; cursor: pointer;
         border: 1px solid #3557c5; background: #3557c5; color: #fff; }
button.secondary { background: #fff; color: #3557c5; }
button.danger { background: #b3261e; border-color: #b3261e; }
.error { color: #b3261e; background: #fdecea; padding: 0.6em; border-radius: 4px; }
.notice { color: #1e5b2e; background: #e6f4ea; padding: 0.6em; border-radius: 4px; }
.breadcrumb { color: #667; }
.tabs { display: flex; gap: 1.5em; border-bottom: 1px solid #ccd; margin-bottom: 1.2em; }
.tabs a { padding: 0.4em 0; text-decoration: none; color: #3557c5; }
.tabs a[aria-current=page] { border-bottom: 3px solid #3557c5; font-weight: bold; color: #1d2330; }
button[role=switch] { display: inline-flex; align-items: center; gap: 0.7em; background: none; color: #1d2330;
                      border: none; padding: 0; font-size: 1.05em; }
button[role=switch]::before { content: ""; flex: none; width: 2.6em; height: 1.4em; border-radius: 0.7em;
                              background: radial-gradient(circle at 0.7em 50%, #fff 0.5em, #99a 0.56em); }
button[role=switch][aria-checked=true]::before {
    background: radial-gradient(circle at 1.9em 50%, #fff 0.5em, #2e7d32 0.56em); }
.qr { width: 14em; height: 14em; border: 1px solid #ccd; }
.qr svg { width: 100%; height: 100%; }
code.setup-code, ol.backup-codes { font-family: ui-monospace, monospace; font-size: 1.15em; }
ol.backup-codes { columns: 2; }
.steps { color: #667; }
.note { border-left: 4px solid #e0a800; background: #fff8e1; padding: 0.6em 1em; }
)css";
}

}  // namespace web
