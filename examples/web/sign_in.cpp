// twofactor web example: signing in. First the password; then, for a user with 2FA on, a code
// from the authenticator app or a backup code, checked by twofactor::login on the stored
// account record (replays refused, failures throttled) and stored back by compare-and-set.
#include <httplib.h>

#include <utility>

#include "app.hpp"
#include "pages.hpp"
#include "passwords.hpp"

namespace web {

void app::show_sign_in(const request& req, response& res) {
    session s = sessions_.find_or_create(req, res);
    if (s.user_id) return redirect(res, s, "/settings/authentication");
    s.pending_user_id.reset();
    const message notice =
        req.has_param("signed-out") ? message("You have signed out.") : std::exchange(s.notice, {});
    const message alert = std::exchange(s.alert, {});
    sessions_.save(s);
    send_page(res, sign_in_page(frame(s), "", alert, notice));
}

void app::sign_in(const request& req, response& res) {
    auto s = session_for_post(req, res);
    if (!s) return;
    const std::string name = req.get_param_value("username");
    const std::string password = req.get_param_value("password");
    const auto u = db_.find_user(name);
    if (!u) spend_password_time(password);  // an unknown name takes as long as a wrong password
    if (!u || !verify_password(password, u->password))
        return send_page(res, sign_in_page(frame(*s), name, "Wrong username or password.", std::nullopt));

    // A new session id now that the password is known (no session fixation).
    session next = sessions_.renew(*s, res);
    if (u->twofactor_record) {
        next.pending_user_id = u->id;
        return redirect(res, next, "/login/code");
    }
    next.user_id = u->id;
    redirect(res, next, "/settings/authentication");
}

void app::show_second_step(const request& req, response& res) {
    auto s = sessions_.find(req);
    if (!s || !s->pending_user_id) {
        res.status = 303;
        res.set_header("Location", "/login");
        return;
    }
    const auto u = db_.find_user(*s->pending_user_id);
    send_page(res, second_step_page(frame(*s), u ? u->name : "", std::nullopt));
}

void app::second_step(const request& req, response& res) {
    auto s = session_for_post(req, res);
    if (!s) return;
    if (!s->pending_user_id) return redirect(res, *s, "/login");
    const std::int64_t user_id = *s->pending_user_id;
    const std::string typed = req.get_param_value("code");
    const auto now = now_seconds();
    const auto attempt =
        run_on_record(user_id, [&](const account& record) { return twofactor::login(record, typed, now); });

    const auto u = db_.find_user(user_id);
    auto fail = [&](const std::string& text) {
        send_page(res, second_step_page(frame(*s), u ? u->name : "", text));
    };
    switch (attempt.status) {
        case record_status::no_record: break;  // 2FA was turned off meanwhile: the password suffices
        case record_status::corrupt: return fail("Your two-factor record cannot be read; contact support.");
        case record_status::busy: return fail("The server is busy; please try again.");
        case record_status::done:
            if (!attempt.outcome->match) return fail(login_failure_text(*attempt.outcome, now));
    }

    session next = sessions_.renew(*s, res);
    next.user_id = user_id;
    if (attempt.outcome && attempt.outcome->match->method == twofactor::login_method::backup_code) {
        const std::size_t left = attempt.outcome->match->backup_codes_remaining;
        next.notice = "You signed in with a backup code; it cannot be used again. " + std::to_string(left) +
                      (left == 1 ? " backup code is" : " backup codes are") + " left" +
                      (left <= 3 ? ": regenerate your backup codes below." : ".");
    }
    redirect(res, next, "/settings/authentication");
}

void app::sign_out(const request& req, response& res) {
    auto s = session_for_post(req, res);
    if (!s) return;
    sessions_.destroy(*s, res);
    res.status = 303;
    res.set_header("Location", "/login?signed-out");
}

}  // namespace web
