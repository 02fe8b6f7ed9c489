// twofactor web example: the application: its routes and the state they share. The handlers
// live in three files by concept: sign_in.cpp (password, then code or backup code),
// setup_wizard.cpp (the seed's 2FA wizard, kept in the session between requests) and
// authentication_tab.cpp (the tab afterwards: regenerate backup codes, disable).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <twofactor/account.hpp>
#include <twofactor/enrollment_wizard.hpp>
#include <twofactor/totp.hpp>

#include "database.hpp"
#include "html.hpp"
#include "sessions.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace web {

using namespace std::chrono_literals;
/// The authenticator-app parameters every enrollment gets: SHA-1, 6 digits, 30 s.
using app_totp = twofactor::totp<twofactor::sha1, 6, 30s>;
/// The seed's wizard with 10 backup codes (PBKDF2-HMAC-SHA256).
using setup_wizard = twofactor::enrollment_wizard<app_totp>;
/// The per-user 2FA record stored in users.twofactor_record.
using account = setup_wizard::account_type;
using login_outcome = twofactor::login_outcome<10, twofactor::sha256>;

/// The issuer shown in authenticator apps and in the backup-code file.
inline constexpr std::string_view issuer = "ACME Co";

class app {
public:
    explicit app(database& db) : db_(db), sessions_(db) {}
    /// Registers every route, the security headers and the error pages on `server`.
    void install(httplib::Server& server);

private:
    using request = httplib::Request;
    using response = httplib::Response;

    // sign_in.cpp
    void show_sign_in(const request& req, response& res);
    void sign_in(const request& req, response& res);
    void show_second_step(const request& req, response& res);
    void second_step(const request& req, response& res);
    void sign_out(const request& req, response& res);

    // setup_wizard.cpp
    void enable(const request& req, response& res);
    void reconfigure(const request& req, response& res);
    void show_setup(const request& req, response& res);
    void setup_next(const request& req, response& res);
    void setup_back(const request& req, response& res);
    // Next on page 1 and Back on page 2: events without input (at another page nothing changes).
    void move_wizard(const request& req, response& res,
                     twofactor::result<void> (setup_wizard::*event)() noexcept);
    void setup_verify(const request& req, response& res);
    void setup_download(const request& req, response& res);
    void setup_finish(const request& req, response& res);
    void setup_cancel(const request& req, response& res);

    // authentication_tab.cpp
    void show_tab(const request& req, response& res);
    void show_profile(const request& req, response& res);
    void regenerate(const request& req, response& res);
    void show_new_codes(const request& req, response& res);
    void download_new_codes(const request& req, response& res);
    void new_codes_done(const request& req, response& res);
    void show_disable(const request& req, response& res);
    void disable(const request& req, response& res);

    // ---- Shared by the handlers (app.cpp). ----------------------------------------------

    /// A signed-in user and their session.
    struct signed_in {
        session s;
        user u;
    };
    /// What a GET page does with regenerated backup codes held in the session.
    enum class fresh_codes_use {
        discard,  ///< any page but theirs: they are shown once, so leaving their page drops them
        show,     ///< their page and its download
    };
    /// For a GET page: the session and user, or nullopt after redirecting to the sign-in page.
    /// Every page but the new codes' own discards regenerated codes (and saves the session).
    [[nodiscard]] std::optional<signed_in> user_for_page(const request& req, response& res,
                                                         fresh_codes_use codes = fresh_codes_use::discard);
    /// For a POST: the session with a matching CSRF token, or nullopt after a 403 page that
    /// says why (no valid session, token mismatch). Nothing may change on nullopt.
    [[nodiscard]] std::optional<session> session_for_post(const request& req, response& res);
    /// session_for_post, and a signed-in user (403 otherwise).
    [[nodiscard]] std::optional<signed_in> user_for_post(const request& req, response& res);

    [[nodiscard]] frame_info frame(const session& s) const;
    /// Sends an HTML page (no caching: pages may show secrets).
    static void send_page(response& res, const std::string& html, int status = 200);
    /// 303 See Other to `path`, after saving `s` (its messages are for the next page).
    void redirect(response& res, session& s, std::string_view path);
    void refuse(response& res, const session* s, int status, std::string_view title, std::string_view text);

    /// How an attempt on the stored record went.
    enum class record_status { done, no_record, corrupt, busy };
    struct record_attempt {
        record_status status = record_status::done;
        std::optional<login_outcome> outcome;
    };
    struct stored_record {
        record_status status = record_status::done;  // done (with the record), no_record or corrupt
        std::optional<account> record;
    };
    /// The user's record as stored now, parsed and checked against its revision column: what
    /// every compare-and-set on it starts from.
    [[nodiscard]] stored_record load_record(std::int64_t user_id);
    /**
     * Loads the user's record, runs `attempt` on it and stores what it returns by
     * compare-and-set on the revision loaded: the outcome's record when it changed, or no
     * record at all (2FA off) when `remove_on_success` and it matched. When another request
     * stored first, reloads and runs again (then a code the other request used is a replay).
     */
    [[nodiscard]] record_attempt run_on_record(std::int64_t user_id,
                                               const std::function<login_outcome(const account&)>& attempt,
                                               bool remove_on_success = false);

    /// The user's record, parsed (nullopt: 2FA off, or a corrupt record).
    [[nodiscard]] static std::optional<account> record_of(const user& u);

    database& db_;
    session_store sessions_;
};

/// The current time, in whole seconds, as login() takes it.
[[nodiscard]] std::chrono::sys_seconds now_seconds();

/// What a failed login, confirmation or regeneration tells the user.
[[nodiscard]] std::string login_failure_text(const login_outcome& outcome, std::chrono::sys_seconds now,
                                             bool backup_codes_accepted = true);

}  // namespace web
