// twofactor web example: the routes and what the handlers share.
#include "app.hpp"

#include <httplib.h>

#include <cstdio>
#include <ctime>
#include <exception>

#include "pages.hpp"

namespace web {

std::chrono::sys_seconds now_seconds() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string login_failure_text(const login_outcome& outcome, std::chrono::sys_seconds now,
                               bool backup_codes_accepted) {
    using twofactor::errc;
    std::string text;
    switch (outcome.match.error()) {
        case errc::wrong_code:
            text = backup_codes_accepted
                       ? "That code is not correct. Enter the code your authenticator app shows "
                         "now, or a backup code."
                       : "That code is not correct. Enter the code your authenticator app "
                         "shows now.";
            break;
        case errc::replayed_code:
            text =
                "This code was already used. Wait for your authenticator app to show a new code, then enter "
                "that one.";
            break;
        case errc::backup_code_used:
            text = "This backup code was already used: each backup code works once.";
            break;
        case errc::malformed_code:
        case errc::malformed_login_input:
        case errc::backup_code_not_accepted:
            text = backup_codes_accepted
                       ? "Enter the six-digit code from your authenticator app, or a backup code such as "
                         "7KQ4-XR2P-DM9A."
                       : "Enter the six-digit code from your authenticator app (a backup code cannot confirm "
                         "this).";
            break;
        case errc::locked_out: break;  // said below
        default:
            text =
                "The code could not be checked: " + std::string(twofactor::describe(outcome.match.error()));
    }
    if (outcome.locked_until && *outcome.locked_until > now) {
        const std::time_t until = outcome.locked_until->time_since_epoch().count();
        std::tm utc{};
        gmtime_r(&until, &utc);
        char clock[32];
        std::strftime(clock, sizeof clock, "%H:%M:%S UTC", &utc);
        const auto seconds = (*outcome.locked_until - now).count();
        text += std::string(text.empty() ? "" : " ") +
                "Too many failed attempts in a row: two-factor sign-in for this account is locked until " +
                std::string(clock) + " (" + std::to_string(seconds) +
                (seconds == 1 ? " second" : " seconds") + " from now); no code is checked until then.";
    }
    return text;
}

frame_info app::frame(const session& s) const {
    frame_info f{std::nullopt, s.csrf_token};
    if (s.user_id)
        if (const auto u = db_.find_user(*s.user_id)) f.user_name = u->name;
    return f;
}

void app::send_page(response& res, const std::string& html, int status) {
    res.status = status;
    res.set_content(html, "text/html; charset=utf-8");
}

void app::redirect(response& res, session& s, std::string_view path) {
    sessions_.save(s);
    res.status = 303;
    res.set_header("Location", std::string(path));
}

void app::refuse(response& res, const session* s, int status, std::string_view title, std::string_view text) {
    const frame_info f = s != nullptr ? frame(*s) : frame_info{};
    send_page(res, problem_page(f, title, text), status);
}

std::optional<app::signed_in> app::user_for_page(const request& req, response& res, fresh_codes_use codes) {
    auto s = sessions_.find(req);
    if (s && s->user_id) {
        if (auto u = db_.find_user(*s->user_id)) {
            if (codes == fresh_codes_use::discard && s->fresh_codes) {
                s->fresh_codes.reset();
                sessions_.save(*s);
            }
            return signed_in{std::move(*s), std::move(*u)};
        }
    }
    res.status = 303;
    res.set_header("Location", "/login");
    return std::nullopt;
}

std::optional<session> app::session_for_post(const request& req, response& res) {
    auto s = sessions_.find(req);
    if (!s) {
        refuse(res, nullptr, 403, "Session not valid",
               "Your session is not valid: it expired, or its cookie was changed. Nothing was changed. "
               "Please sign in again.");
        return std::nullopt;
    }
    if (!session_store::csrf_matches(*s, req)) {
        refuse(res, &*s, 403, "Form not accepted",
               "The form's security token does not match your session, so nothing was changed. Reload the "
               "page and try again.");
        return std::nullopt;
    }
    return s;
}

std::optional<app::signed_in> app::user_for_post(const request& req, response& res) {
    auto s = session_for_post(req, res);
    if (!s) return std::nullopt;
    if (s->user_id) {
        if (auto u = db_.find_user(*s->user_id)) return signed_in{std::move(*s), std::move(*u)};
    }
    refuse(res, &*s, 403, "Not signed in", "Please sign in first. Nothing was changed.");
    return std::nullopt;
}

std::optional<account> app::record_of(const user& u) {
    if (!u.twofactor_record) return std::nullopt;
    auto parsed = account::parse(*u.twofactor_record);
    if (!parsed) return std::nullopt;
    return *parsed;
}

app::stored_record app::load_record(std::int64_t user_id) {
    const auto u = db_.find_user(user_id);
    if (!u || !u->twofactor_record) return {record_status::no_record, std::nullopt};
    auto parsed = account::parse(*u->twofactor_record);
    if (!parsed || parsed->revision() != u->twofactor_revision) return {record_status::corrupt, std::nullopt};
    return {record_status::done, std::move(*parsed)};
}

app::record_attempt app::run_on_record(std::int64_t user_id,
                                       const std::function<login_outcome(const account&)>& attempt,
                                       bool remove_on_success) {
    for (int round = 0; round < 5; ++round) {
        const auto [status, loaded] = load_record(user_id);
        if (!loaded) return {status, std::nullopt};
        login_outcome outcome = attempt(*loaded);
        bool stored = true;
        if (remove_on_success && outcome.match)
            stored = db_.store_twofactor_record(user_id, loaded->revision(), true, std::nullopt,
                                                outcome.record.revision());
        else if (outcome.record_changed)
            stored = db_.store_twofactor_record(user_id, loaded->revision(), true, outcome.record.serialize(),
                                                outcome.record.revision());
        if (stored) return {record_status::done, std::move(outcome)};
        // Another request stored a newer record first: run again on it.
        std::printf("compare-and-set: the record of user %lld changed meanwhile; checking again\n",
                    static_cast<long long>(user_id));
    }
    return {record_status::busy, std::nullopt};
}

void app::install(httplib::Server& server) {
    auto route = [this](void (app::*handler)(const request&, response&)) {
        return [this, handler](const request& req, response& res) { (this->*handler)(req, res); };
    };
    server.Get("/", [this](const request& req, response& res) {
        const auto s = sessions_.find(req);
        res.status = 303;
        res.set_header("Location", s && s->user_id ? "/settings/authentication" : "/login");
    });
    server.Get("/style.css", [](const request&, response& res) {
        res.set_content(std::string(style_sheet()), "text/css; charset=utf-8");
    });
    server.Get("/login", route(&app::show_sign_in));
    server.Post("/login", route(&app::sign_in));
    server.Get("/login/code", route(&app::show_second_step));
    server.Post("/login/code", route(&app::second_step));
    server.Post("/logout", route(&app::sign_out));

    server.Get("/settings",
               [](const request&, response& res) { res.set_redirect("/settings/authentication", 303); });
    server.Get("/settings/profile", route(&app::show_profile));
    server.Get("/settings/authentication", route(&app::show_tab));
    server.Post("/settings/authentication/enable", route(&app::enable));
    server.Post("/settings/authentication/reconfigure", route(&app::reconfigure));
    server.Get("/settings/authentication/setup", route(&app::show_setup));
    server.Post("/settings/authentication/setup/next", route(&app::setup_next));
    server.Post("/settings/authentication/setup/back", route(&app::setup_back));
    server.Post("/settings/authentication/setup/verify", route(&app::setup_verify));
    server.Get("/settings/authentication/setup/backup-codes.txt", route(&app::setup_download));
    server.Post("/settings/authentication/setup/finish", route(&app::setup_finish));
    server.Post("/settings/authentication/setup/cancel", route(&app::setup_cancel));
    server.Post("/settings/authentication/backup-codes", route(&app::regenerate));
    server.Get("/settings/authentication/backup-codes", route(&app::show_new_codes));
    server.Get("/settings/authentication/backup-codes.txt", route(&app::download_new_codes));
    server.Post("/settings/authentication/backup-codes/done", route(&app::new_codes_done));
    server.Get("/settings/authentication/disable", route(&app::show_disable));
    server.Post("/settings/authentication/disable", route(&app::disable));

    // Every response: no caching (pages show secrets), no framing, no scripts at all, forms
    // only to this origin.
    server.set_post_routing_handler([](const request&, response& res) {
        res.set_header("Content-Security-Policy",
                       "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                       "frame-ancestors 'none'; base-uri 'none'");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("X-Frame-Options", "DENY");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("Cache-Control", "no-store");
    });
    server.set_error_handler([](const request&, response& res) {
        if (!res.body.empty()) return;
        if (res.status == 404)
            send_page(res, problem_page({}, "Not found", "There is no such page."), 404);
        else
            send_page(res, problem_page({}, "Error", "The request could not be handled."), res.status);
    });
    server.set_exception_handler([](const request& req, response& res, std::exception_ptr failure) {
        std::string what = "unknown error";
        try {
            if (failure) std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr, "twofactor-web: %s %s failed: %s\n", req.method.c_str(), req.path.c_str(),
                     what.c_str());
        send_page(res,
                  problem_page({}, "Server error", "Something went wrong on the server. Please try again."),
                  500);
    });
    server.set_logger([](const request& req, const response& res) {
        std::printf("%s %s -> %d\n", req.method.c_str(), req.path.c_str(), res.status);
        std::fflush(stdout);
    });
}

}  // namespace web
