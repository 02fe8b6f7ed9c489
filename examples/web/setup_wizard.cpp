// twofactor web example: the seed's 2FA wizard. Toggling on (or Reconfigure) starts a
// twofactor::enrollment_wizard; each request parses it from the session, applies one event
// (Next, Back, a code, Finish, Cancel) and stores its text form again. Only Finish writes the
// account record, by compare-and-set, so an abandoned setup changes nothing.
#include <httplib.h>

#include <array>
#include <string>
#include <utility>

#include <twofactor/qr_render.hpp>

#include "app.hpp"
#include "pages.hpp"

namespace web {
namespace {

constexpr std::string_view tab_url = "/settings/authentication";
constexpr std::string_view setup_url = "/settings/authentication/setup";

std::optional<setup_wizard> wizard_of(const session& s) {
    if (!s.wizard) return std::nullopt;
    auto parsed = setup_wizard::parse(*s.wizard);
    if (!parsed) return std::nullopt;
    return *parsed;
}

// The QR code as an <svg> element inlined in the page (no XML declaration inside HTML).
std::string inline_qr_svg(const setup_wizard& w) {
    const auto code = w.qr();
    if (!code) return {};
    auto svg = twofactor::to_svg(*code, {.quiet_zone = 4, .xml_declaration = false});
    return svg ? std::move(*svg) : std::string();
}

std::vector<std::string> shown_codes(const setup_wizard& w) {
    std::vector<std::string> codes;
    if (const auto plain = w.backup_codes())
        for (const auto& code : *plain) {
            const auto grouped = code.reveal_grouped();
            codes.emplace_back(grouped.begin(), grouped.end());
        }
    return codes;
}

}  // namespace

void app::enable(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    if (in->u.twofactor_record) {
        in->s.alert = "Two-factor authentication is already on.";
        return redirect(res, in->s, tab_url);
    }
    // "Toggle on Two-factor Authentication": the wizard opens with a new secret.
    const auto started = setup_wizard::start(issuer, in->u.name);
    if (!started) {
        in->s.alert = "The setup could not start: " + std::string(twofactor::describe(started.error()));
        return redirect(res, in->s, tab_url);
    }
    in->s.wizard = started->serialize();
    redirect(res, in->s, setup_url);
}

void app::reconfigure(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    // Changing the second factor takes the second factor (SECURITY.md, "Re-authenticate"): the
    // code is checked and stored as a login, so a wrong one counts towards the lockout.
    const std::string typed = req.get_param_value("code");
    const auto now = now_seconds();
    const auto attempt =
        run_on_record(in->u.id, [&](const account& record) { return twofactor::login(record, typed, now); });
    switch (attempt.status) {
        case record_status::no_record:
            in->s.alert = "Two-factor authentication is off: toggle it on to set it up.";
            return redirect(res, in->s, tab_url);
        case record_status::corrupt:
        case record_status::busy:
            in->s.alert = "The reconfiguration could not start; please try again.";
            return redirect(res, in->s, tab_url);
        case record_status::done:
            if (!attempt.outcome->match) {
                in->s.alert = "Reconfiguration not started. " + login_failure_text(*attempt.outcome, now);
                return redirect(res, in->s, tab_url);
            }
    }
    // The whole wizard again, from the record as that login left it; the current record keeps
    // working until Finish replaces it.
    const auto started = setup_wizard::reconfigure(attempt.outcome->record);
    if (!started) {
        in->s.alert = "The setup could not start: " + std::string(twofactor::describe(started.error()));
        return redirect(res, in->s, tab_url);
    }
    in->s.wizard = started->serialize();
    redirect(res, in->s, setup_url);
}

void app::show_setup(const request& req, response& res) {
    auto in = user_for_page(req, res);
    if (!in) return;
    const auto w = wizard_of(in->s);
    if (!w) return redirect(res, in->s, tab_url);
    const frame_info f = frame(in->s);
    switch (w->step()) {
        case twofactor::wizard_step::show_secret: {
            std::optional<std::string> setup_code;
            if (req.get_param_value("show") == "setup-code") {
                std::array<char, twofactor::secret::max_setup_code_size> text{};
                if (const auto size = w->reveal_setup_code(text)) setup_code.emplace(text.data(), *size);
            }
            return send_page(res, setup_qr_page(f, inline_qr_svg(*w), setup_code));
        }
        case twofactor::wizard_step::verify_setup:
            return send_page(res, setup_verify_page(f, w->attempts_left(), std::nullopt));
        case twofactor::wizard_step::backup_codes:
            return send_page(res, setup_backup_codes_page(f, shown_codes(*w), std::nullopt));
        default: in->s.wizard.reset(); return redirect(res, in->s, tab_url);
    }
}

void app::move_wizard(const request& req, response& res,
                      twofactor::result<void> (setup_wizard::*event)() noexcept) {
    auto in = user_for_post(req, res);
    if (!in) return;
    auto w = wizard_of(in->s);
    if (!w) return redirect(res, in->s, tab_url);
    if (((*w).*event)()) in->s.wizard = w->serialize();  // at another page: nothing changes
    redirect(res, in->s, setup_url);
}

void app::setup_next(const request& req, response& res) { move_wizard(req, res, &setup_wizard::next); }

// Back from "Verify Authentication Setup" to the QR code; the wrong codes typed still count.
void app::setup_back(const request& req, response& res) { move_wizard(req, res, &setup_wizard::back); }

void app::setup_verify(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    auto w = wizard_of(in->s);
    if (!w) return redirect(res, in->s, tab_url);
    if (w->step() != twofactor::wizard_step::verify_setup) return redirect(res, in->s, setup_url);
    const auto checked = w->submit_code(req.get_param_value("code"), std::chrono::system_clock::now());
    in->s.wizard = w->serialize();
    if (checked) return redirect(res, in->s, setup_url);

    using twofactor::errc;
    if (checked.error() == errc::setup_aborted) {
        in->s.wizard.reset();
        in->s.alert =
            "Too many wrong codes: the setup was stopped and nothing changed. Toggle on Two-factor "
            "Authentication to start again.";
        return redirect(res, in->s, tab_url);
    }
    std::string text;
    if (checked.error() == errc::wrong_code) {
        const unsigned left = w->attempts_left();
        text = "That code is not correct. Check that your authenticator app shows the code for " +
               std::string(issuer) + " (" + in->u.name +
               ") and that your device's clock is right, then enter the current code. " +
               std::to_string(left) + (left == 1 ? " attempt" : " attempts") + " left.";
    } else if (checked.error() == errc::malformed_code) {
        text = "Enter the six digits your authenticator app shows (spaces are fine).";
    } else {
        text = "The code could not be checked: " + std::string(twofactor::describe(checked.error()));
    }
    sessions_.save(in->s);
    send_page(res, setup_verify_page(frame(in->s), w->attempts_left(), text));
}

void app::setup_download(const request& req, response& res) {
    auto in = user_for_page(req, res);
    if (!in) return;
    const auto w = wizard_of(in->s);
    const auto today = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now_seconds())};
    const auto size = w ? w->download_text_size(today) : twofactor::result<std::size_t>(std::size_t{0});
    if (!w || !size)  // not on the backup-codes page
        return refuse(res, &in->s, 404, "No backup codes", "There are no backup codes to download now.");
    std::string text(*size, '\0');
    (void)w->download_text(text, today);
    res.set_header("Content-Disposition", "attachment; filename=\"acme-co-backup-codes.txt\"");
    res.set_content(text, "text/plain; charset=utf-8");
}

void app::setup_finish(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    auto w = wizard_of(in->s);
    if (!w) return redirect(res, in->s, tab_url);
    const auto finished = w->finish();
    if (!finished) return redirect(res, in->s, setup_url);  // not on the backup-codes page
    in->s.wizard.reset();

    // Compare-and-set. A reconfiguration replaces the record it started from, or that record
    // after sign-ins meanwhile (record_replacing tells which), never a record that another
    // setup replaced or a disable removed; a lost race re-reads. A first enrollment needs 2FA
    // still off, and continues the user's revision count (revisions never repeat, even across
    // disable and enable).
    bool stored = false;
    if (w->replaces_revision()) {
        for (int round = 0; round < 5 && !stored; ++round) {
            const auto current = load_record(in->u.id).record;
            if (!current) break;
            const auto next = w->record_replacing(*current);
            if (!next) break;
            stored = db_.store_twofactor_record(in->u.id, current->revision(), true, next->serialize(),
                                                next->revision());
        }
    } else {
        const account next = finished->replacing(in->u.twofactor_revision);
        stored =
            !in->u.twofactor_record && db_.store_twofactor_record(in->u.id, in->u.twofactor_revision, false,
                                                                  next.serialize(), next.revision());
    }
    if (stored) {
        db_.delete_other_sessions(in->u.id, in->s.id_hash);
        in->s.fresh_codes.reset();  // regenerated codes of the record just replaced
        in->s.notice =
            "Two-factor authentication is on. From now on, signing in asks for a code from your "
            "authenticator app (or a backup code). Other browsers signed in to your account were signed "
            "out.";
    } else
        in->s.alert =
            "Your two-factor settings were changed in another window while this setup ran, so it was not "
            "saved. Nothing changed; start again if you still want to.";
    redirect(res, in->s, tab_url);
}

void app::setup_cancel(const request& req, response& res) {
    auto in = user_for_post(req, res);
    if (!in) return;
    if (auto w = wizard_of(in->s)) (void)w->cancel();
    in->s.wizard.reset();
    in->s.notice = "The setup was cancelled; nothing changed.";
    redirect(res, in->s, tab_url);
}

}  // namespace web
