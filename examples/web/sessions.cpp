// twofactor web example: server-side sessions.
#include "sessions.hpp"

#include <httplib.h>

#include <chrono>
#include <string_view>

#include <twofactor/constant_time.hpp>

#include "tokens.hpp"

namespace web {
namespace {

constexpr std::string_view cookie_name = "twofactor_session";
constexpr std::chrono::seconds lifetime{2 * 3600};

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The value of our cookie in a Cookie header ("a=1; twofactor_session=...; b=2"), if present.
std::optional<std::string> cookie_value(const httplib::Request& request) {
    const std::string header = request.get_header_value("Cookie");
    std::string_view rest = header;
    while (!rest.empty()) {
        const auto end = rest.find(';');
        std::string_view item = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        if (item.starts_with(cookie_name) && item.size() > cookie_name.size() &&
            item[cookie_name.size()] == '=')
            return std::string(item.substr(cookie_name.size() + 1));
    }
    return std::nullopt;
}

bool well_formed_id(std::string_view id) {
    if (id.size() != 64) return false;
    for (const char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

void set_cookie(httplib::Response& response, std::string_view id) {
    response.set_header("Set-Cookie", std::string(cookie_name) + "=" + std::string(id) +
                                          "; Path=/; HttpOnly; SameSite=Strict");
}

}  // namespace

std::optional<session> session_store::find(const httplib::Request& request) {
    const auto id = cookie_value(request);
    if (!id || !well_formed_id(*id)) return std::nullopt;
    return db_.find_session(sha256_hex(*id), unix_now());
}

session session_store::create(httplib::Response& response) {
    const std::string id = random_token();
    session s;
    s.id_hash = sha256_hex(id);
    s.csrf_token = random_token();
    s.expires_at = unix_now() + lifetime.count();
    db_.delete_expired_sessions(unix_now());
    db_.add_session(s);
    set_cookie(response, id);
    return s;
}

session session_store::find_or_create(const httplib::Request& request, httplib::Response& response) {
    if (auto found = find(request)) return *found;
    return create(response);
}

session session_store::renew(const session& current, httplib::Response& response) {
    db_.delete_session(current.id_hash);
    session fresh = create(response);
    fresh.notice = current.notice;
    fresh.alert = current.alert;
    return fresh;
}

void session_store::save(session& s) {
    s.expires_at = unix_now() + lifetime.count();
    db_.update_session(s);
}

void session_store::destroy(const session& s, httplib::Response& response) {
    db_.delete_session(s.id_hash);
    response.set_header("Set-Cookie",
                        std::string(cookie_name) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

bool session_store::csrf_matches(const session& s, const httplib::Request& request) {
    if (request.get_param_value_count("csrf") != 1) return false;
    return twofactor::constant_time_equal(request.get_param_value("csrf"), s.csrf_token);
}

}  // namespace web
