// twofactor web example: server-side sessions. The cookie carries only a random id (HttpOnly,
// SameSite=Strict); the sessions table keeps its SHA-256, the CSRF token, who is signed in and
// the setup wizard between requests. Signing in gives the session a new id (no fixation).
#pragma once

#include <optional>
#include <string>

#include "database.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace web {

class session_store {
public:
    explicit session_store(database& db) : db_(db) {}

    /// The session the request's cookie names, if the cookie is well formed and the session
    /// exists and has not expired (a tampered cookie names none).
    [[nodiscard]] std::optional<session> find(const httplib::Request& request);

    /// A new anonymous session with its own CSRF token; sets the cookie.
    [[nodiscard]] session create(httplib::Response& response);

    /// find(), or create() when there is none.
    [[nodiscard]] session find_or_create(const httplib::Request& request, httplib::Response& response);

    /// Replaces `current` by a new, empty session (new id, new CSRF token) keeping only its
    /// messages; sets the cookie. The old id stops working. Used when the user's privilege
    /// changes (password accepted, signed in), so that a planted id gains nothing.
    [[nodiscard]] session renew(const session& current, httplib::Response& response);

    /// Stores the session's fields and extends its lifetime.
    void save(session& s);

    /// Deletes the session and clears the cookie.
    void destroy(const session& s, httplib::Response& response);

    /// Whether the request's "csrf" form field equals the session's token (constant time).
    [[nodiscard]] static bool csrf_matches(const session& s, const httplib::Request& request);

private:
    database& db_;
};

}  // namespace web
