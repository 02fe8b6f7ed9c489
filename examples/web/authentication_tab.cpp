// twofactor web example: Settings > Account Information and Setup > Authentication once 2FA
// is on: the status, regenerating the backup codes (confirmed with a code from the app) and
// disabling 2FA (confirmed with a code or a backup code). Reconfiguring is the wizard again
// (setup_wizard.cpp).
#include <httplib.h>

#include <utility>

#include <twofactor/account_operations.hpp>
#include <twofactor/backup_codes.hpp>

#include "app.hpp"
#include "pages.hpp"

namespace web {
namespace {

constexpr std::string_view tab_url = "/settings/authentication";

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

}  // namespace

void app::show_tab(const request& req, response& res) {
    auto in = user_for_page(req, res);
    if (!in) return;
    authentication_status status;
    if (const auto record = record_of(in->u)) {
        status.enabled = true;
        status.backup_codes_remaining = record->backup_codes().remaining();
    }
    if (in->s.wizard)
        if (const auto w = setup_wizard::parse(*in->s.wizard))
            status.setup_in_progress = w->step() < twofactor::wizard_step::finished;
    const message notice = std::exchange(in->s.notice, {});
    const message alert = std::exchange(in->s.alert, {});
    sessions_.save(in->s);
    send_page(res, authentication_tab(frame(in->s), status, alert, notice));
}

void app::show_profile(const request& req, response& res) {
    auto in = user_for_page(req, res);
    if (!in) return;
    send_page(res, profile_tab(frame(in->s)));
}

void app::regenerate(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    const std::string typed = req.get_param_value("code");
    const auto now = now_seconds();
    std::array<twofactor::backup_code, 10> codes{};
    twofactor::os_random rng;
    const auto attempt = run_on_record(in->u.id, [&](const account& record) {
        auto regeneration = twofactor::regenerate_backup_codes(record, typed, now, rng);
        codes = regeneration.codes;
        return regeneration.outcome;
    });
    if (attempt.status == record_status::no_record) {
        in->s.alert = "Two-factor authentication is off: there are no backup codes.";
        return redirect(res, in->s, tab_url);
    }
    if (attempt.status != record_status::done || !attempt.outcome->match) {
        in->s.alert =
            attempt.status == record_status::done
                ? "Backup codes not regenerated. " + login_failure_text(*attempt.outcome, now, false)
                : std::string("Backup codes not regenerated: the server is busy, please try again.");
        return redirect(res, in->s, tab_url);
    }
    std::string shown;
    for (const auto& code : codes) {
        const auto grouped = code.reveal_grouped();
        shown.append(grouped.begin(), grouped.end()).push_back('\n');
    }
    in->s.fresh_codes = shown;
    redirect(res, in->s, "/settings/authentication/backup-codes");
}

void app::show_new_codes(const request& req, response& res) {
    auto in = user_for_page(req, res, fresh_codes_use::show);
    if (!in) return;
    if (!in->s.fresh_codes) return redirect(res, in->s, tab_url);
    send_page(res, new_backup_codes_page(frame(in->s), split_lines(*in->s.fresh_codes)));
}

void app::download_new_codes(const request& req, response& res) {
    auto in = user_for_page(req, res, fresh_codes_use::show);
    if (!in) return;
    if (!in->s.fresh_codes)
        return refuse(res, &in->s, 404, "No backup codes", "There are no new backup codes to download now.");
    std::vector<twofactor::backup_code> codes;
    for (const auto& line : split_lines(*in->s.fresh_codes))
        if (const auto code = twofactor::backup_code::parse(line)) codes.push_back(*code);
    const twofactor::backup_codes_text_info info{
        issuer, in->u.name,
        std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now_seconds())}};
    std::string text(twofactor::backup_codes_text_size(info, codes), '\0');
    (void)twofactor::write_backup_codes_text(text, info, codes);
    res.set_header("Content-Disposition", "attachment; filename=\"acme-co-backup-codes.txt\"");
    res.set_content(text, "text/plain; charset=utf-8");
}

void app::new_codes_done(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    in->s.fresh_codes.reset();
    in->s.notice = "Your new backup codes are active.";
    redirect(res, in->s, tab_url);
}

void app::show_disable(const request& req, response& res) {
    auto in = user_for_page(req, res);
    if (!in) return;
    if (!in->u.twofactor_record) return redirect(res, in->s, tab_url);
    send_page(res, disable_page(frame(in->s), std::nullopt));
}

void app::disable(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    const std::string typed = req.get_param_value("code");
    const auto now = now_seconds();
    const auto attempt = run_on_record(
        in->u.id, [&](const account& record) { return twofactor::confirm_disable(record, typed, now); },
        /*remove_on_success=*/true);
    switch (attempt.status) {
        case record_status::no_record:
            in->s.notice = "Two-factor authentication is off.";
            return redirect(res, in->s, tab_url);
        case record_status::corrupt:
        case record_status::busy:
            return send_page(res,
                             disable_page(frame(in->s), "The change could not be made; please try again."));
        case record_status::done:
            if (!attempt.outcome->match)
                return send_page(res, disable_page(frame(in->s), login_failure_text(*attempt.outcome, now)));
    }
    in->s.wizard.reset();  // a reconfiguration in progress has nothing left to replace
    in->s.fresh_codes.reset();
    db_.delete_other_sessions(in->u.id, in->s.id_hash);
    in->s.notice =
        "Two-factor authentication is off. Signing in now needs only your password. Other browsers signed "
        "in to your account were signed out.";
    redirect(res, in->s, tab_url);
}

}  // namespace web
