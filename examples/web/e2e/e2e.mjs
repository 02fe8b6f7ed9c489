// End-to-end test of the twofactor example web application in headless Chromium.
//
// Starts the server (build/web/twofactor-web) on a free port with a fresh database and walks
// the seed's flow as a user would: sign in, Settings > Account Information and Setup >
// Authentication, toggle on Two-factor Authentication, read the setup code, verify with a code
// computed by oathtool (an implementation independent of the library), download the 10 backup
// codes, Finish; then signing in with codes and backup codes, replays and lockout refused,
// regenerating the backup codes, disabling 2FA; and forged requests (wrong CSRF token,
// tampered session cookie) refused with 403 and no change. Screenshots go to the artifacts
// folder. Exits non-zero, naming the failed check, on any failure.
//
// Usage: node e2e.mjs   (environment: TWOFACTOR_WEB_SERVER, TWOFACTOR_WEB_ARTIFACTS, CHROMIUM)
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const serverBinary = process.env.TWOFACTOR_WEB_SERVER ?? path.join(repo, 'build/web/twofactor-web');
const artifacts = process.env.TWOFACTOR_WEB_ARTIFACTS ?? path.join(repo, 'build/web/artifacts');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const demo = { name: 'demo', password: 'correct horse battery staple' };
const backupCodePattern = /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

let checks = 0;
function check(condition, name, detail = '') {
    if (!condition) throw new Error(`check failed: ${name}${detail ? ` (${detail})` : ''}`);
    checks += 1;
    console.log(`ok ${checks} - ${name}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- The authenticator app: oathtool, SHA-1, 6 digits, 30 s. --------------------------------

let secret = '';
let lastStep = -1;  // the step of the last code the server accepted
const currentStep = () => Math.floor(Date.now() / 1000 / 30);
const codeAt = (step) =>
    execFileSync('oathtool', ['--totp', '-b', '-N', `@${step * 30}`, secret], { encoding: 'utf8' }).trim();

// A code the server has not seen: the current step's, or the next step's when the current one
// was used (the server accepts one step either side, as for a phone whose clock is a little
// fast); waits for the clock when even that was used.
async function freshCode() {
    let step = Math.max(currentStep(), lastStep + 1);
    while (step > currentStep() + 1) await sleep(500);
    step = Math.max(currentStep(), lastStep + 1);
    return { code: codeAt(step), step };
}

// A six-digit code that matches none of the steps the server accepts now or soon.
function wrongCode() {
    const nearby = new Set();
    for (let step = currentStep() - 2; step <= currentStep() + 3; ++step) nearby.add(codeAt(step));
    for (let n = 123456; ; n = (n + 111111) % 1000000) {
        const candidate = String(n).padStart(6, '0');
        if (!nearby.has(candidate)) return candidate;
    }
}

// ---- The server. ---------------------------------------------------------------------------

function checkCommandLine() {
    const help = execFileSync(serverBinary, ['--help'], { encoding: 'utf8' });
    check(['--port', '--host', '--database'].every((o) => help.includes(o)), '--help lists the options');
    let status = 0;
    let stderr = '';
    try {
        execFileSync(serverBinary, ['--prot', '80'], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
        status = error.status;
        stderr = String(error.stderr);
    }
    check(status === 2 && stderr.includes("unknown option '--prot'"), 'a bad option is an error with exit status 2',
        `${status}: ${stderr.trim()}`);
}

async function startServer(folder) {
    const server = spawn(serverBinary, ['--port', '0', '--database', path.join(folder, 'web.sqlite3')], {
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stderr.on('data', (chunk) => process.stderr.write(`[server] ${chunk}`));
    // The server must not outlive the test, however the test ends.
    process.on('exit', () => server.kill('SIGTERM'));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
        process.on(signal, () => process.exit(1));
    }
    const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 10000);
        server.stdout.on('data', (chunk) => {
            output += chunk;
            const match = output.match(/listening on (http:\/\/[^\s]+)\//);
            if (match) {
                clearTimeout(timer);
                resolve(match[1]);
            }
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
    check(output.includes(`demo user "${demo.name}", password "${demo.password}"`), 'server prints the demo user');
    return { server, url };
}

// ---- Page helpers. --------------------------------------------------------------------------

let page;
let base;
const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
// Read once the page a click led to has loaded: reading sooner can see the page before it (a
// check on the Reconfigure refusal failed that way once in CI).
async function textOf(role) {
    await page.waitForLoadState('load');
    return ((await page.locator(`[role=${role}]`).allTextContents()).join(' ')).trim();
}
const alertText = () => textOf('alert');
const statusText = () => textOf('status');
const twoFactorSwitch = () => page.getByRole('switch', { name: 'Two-factor Authentication' });

// Clicks `target` (a form's button or a link: every click here but Download's leads to a new
// page) and returns once that page has loaded. Playwright's click does not wait for the
// navigation it starts, and a check that reads at once can see the page before it.
async function clickThrough(target) {
    const tab = target.page();
    await tab.evaluate(() => { window.twofactorPageBefore = true; });
    await target.click();
    await tab.waitForFunction(() => window.twofactorPageBefore === undefined);
    await tab.waitForLoadState('load');
}

async function signInWithPassword(password = demo.password) {
    await page.goto(`${base}/login`);
    await page.getByLabel('Username').fill(demo.name);
    await page.getByLabel('Password').fill(password);
    await clickThrough(page.getByRole('button', { name: 'Sign in' }));
}

async function enterCode(code) {
    await page.getByLabel('Code or backup code').fill(code);
    await clickThrough(page.getByRole('button', { name: 'Verify' }));
}

async function signOut() {
    await clickThrough(page.getByRole('button', { name: 'Sign out' }));
    check(page.url().endsWith('/login?signed-out'), 'signing out leads to the sign-in page', page.url());
}

// Clicks a wizard button that ends on the Authentication tab (Finish, Cancel) and waits until the
// tab has loaded: the click does not wait for the navigation it starts, and the checks that
// follow read the tab's messages.
async function clickToAuthenticationTab(name) {
    await page.getByRole('button', { name }).click();
    await page.waitForURL((url) => url.pathname === '/settings/authentication');
}

async function onAuthenticationTab() {
    return new URL(page.url()).pathname === '/settings/authentication';
}

async function backupCodesOnPage() {
    return (await page.locator('ol.backup-codes code').allTextContents()).map((c) => c.trim());
}

async function downloadBackupCodes(fileName) {
    const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download' }).click(),
    ]);
    const file = path.join(artifacts, fileName);
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    const codes = [...text.matchAll(/^\s*\d+\. (\S+)$/gm)].map((m) => m[1]);
    return { text, codes, suggested: download.suggestedFilename() };
}

// The CSRF token of the page's session (a forger with a stolen token still lacks the cookie).
async function csrfToken() {
    return page.locator('input[name=csrf]').first().getAttribute('value');
}

// ---- The flow. -----------------------------------------------------------------------------

async function run() {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    checkCommandLine();
    const folder = mkdtempSync(path.join(tmpdir(), 'twofactor-web-e2e-'));
    process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
    const { server, url } = await startServer(folder);
    base = url;
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
    try {
        const context = await browser.newContext({ acceptDownloads: true });
        page = await context.newPage();

        // Sign in with the password: 2FA is off, so that is all.
        await signInWithPassword('not the password');
        check((await alertText()).includes('Wrong username or password'), 'a wrong password is refused');
        await signInWithPassword();
        check(await onAuthenticationTab(), 'the password alone signs in while 2FA is off', page.url());

        // Settings > Account Information and Setup > the Authentication tab.
        await clickThrough(page.getByRole('link', { name: 'Settings' }));
        const tabs = page.getByRole('navigation', { name: 'Account Information and Setup' });
        await clickThrough(tabs.getByRole('link', { name: 'Profile' }));
        check((await page.locator('main').textContent()).includes('User ID: demo'), 'the Profile tab');
        await clickThrough(tabs.getByRole('link', { name: 'Authentication' }));
        check((await page.locator('.breadcrumb').textContent()).includes('Account Information and Setup'),
            'Settings > Account Information and Setup');
        check(await twoFactorSwitch().getAttribute('aria-checked') === 'false', 'the toggle is off');
        await shot('01-authentication-tab-off');

        // A forged toggle (wrong CSRF token) is refused and changes nothing.
        const forged = await page.request.post(`${base}/settings/authentication/enable`, {
            form: { csrf: '0'.repeat(64) }, maxRedirects: 0,
        });
        check(forged.status() === 403, 'a POST with a wrong CSRF token is refused with 403', `${forged.status()}`);
        const noToken = await page.request.post(`${base}/settings/authentication/enable`, { form: {}, maxRedirects: 0 });
        check(noToken.status() === 403, 'a POST without a CSRF token is refused with 403', `${noToken.status()}`);
        await page.reload();
        check(await twoFactorSwitch().getAttribute('aria-checked') === 'false' &&
              !(await page.locator('main').textContent()).includes('still open'),
            'the forged toggle changed nothing');

        // Toggle on Two-factor Authentication: the wizard opens on the QR code.
        await clickThrough(twoFactorSwitch());
        check(await page.locator('.qr svg path').count() === 1, 'wizard page 1 shows the QR code as inline SVG');
        check(await page.locator('#setup-code').count() === 0, 'the setup code is hidden until asked for');
        await shot('02-wizard-qr-code');

        // The "setup code" link reveals the setup code; the app is set up from it.
        await clickThrough(page.getByRole('link', { name: 'setup code' }));
        const setupCode = (await page.locator('#setup-code').textContent()).trim();
        check(/^([A-Z2-7]{4} )*[A-Z2-7]{1,4}$/.test(setupCode), 'the setup code is grouped base32', setupCode);
        secret = setupCode.replace(/\s+/g, '');
        check(secret.length === 32, 'the secret is 160 bits (SHA-1)', `${secret.length} base32 characters`);
        await shot('03-wizard-setup-code');

        // If zbarimg is there, the QR code must hold the same secret (an independent reader).
        try {
            const qrFile = path.join(artifacts, 'qr-code.png');
            await page.locator('.qr').screenshot({ path: qrFile });
            const uri = execFileSync('zbarimg', ['--raw', '-q', qrFile], {
                encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
            }).trim();
            check(uri.startsWith('otpauth://totp/') && uri.includes(`secret=${secret}`) &&
                  uri.includes('issuer=ACME'), 'the QR code holds the otpauth:// URI with the setup code', uri.replace(secret, '<secret>'));
        } catch (error) {
            if (error.code !== 'ENOENT') throw error;
            console.log('# zbarimg not installed: QR code content not decoded');
        }

        // Next: Verify Authentication Setup. A wrong code first, then the right one.
        await clickThrough(page.getByRole('button', { name: 'Next' }));
        check(await page.getByRole('heading', { name: 'Verify Authentication Setup' }).isVisible(),
            'wizard page 2 is "Verify Authentication Setup"');
        await shot('04-wizard-verify');
        await page.getByLabel('Six-digit code').fill(wrongCode());
        await clickThrough(page.getByRole('button', { name: 'Next' }));
        const wrongMessage = await alertText();
        check(wrongMessage.includes('That code is not correct') && wrongMessage.includes('4 attempts left'),
            'a wrong code is refused with a clear message', wrongMessage);
        await shot('05-wizard-verify-wrong-code');
        // Back to the QR code and Next again: the same secret, and the wrong code still counts.
        await clickThrough(page.getByRole('button', { name: 'Back' }));
        await page.locator('.qr svg path').waitFor();
        check(await page.locator('.qr svg path').count() === 1, 'Back returns to the QR code');
        await clickThrough(page.getByRole('link', { name: 'setup code' }));
        const secretAgain = (await page.locator('#setup-code').textContent()).replace(/\s+/g, '');
        check(secretAgain === secret, 'after Back the setup code is the same secret');
        await clickThrough(page.getByRole('button', { name: 'Next' }));
        await page.getByRole('heading', { name: 'Verify Authentication Setup' }).waitFor();
        check((await page.locator('main').textContent()).includes('4 attempts left'),
            'after Back and Next the wrong code still counts (4 attempts left)');
        const setup = await freshCode();
        await page.getByLabel('Six-digit code').fill(setup.code);
        await clickThrough(page.getByRole('button', { name: 'Next' }));
        lastStep = setup.step;

        // The backup codes, their Download link and the note; then Finish.
        const shown = await backupCodesOnPage();
        check(shown.length === 10 && shown.every((c) => backupCodePattern.test(c)), 'wizard page 3 shows 10 backup codes');
        check((await page.locator('main').textContent()).includes(
            'treat your backup codes with the same level of security as you would a password'),
        'the note about keeping the backup codes safe');
        await shot('06-wizard-backup-codes');
        const download = await downloadBackupCodes('backup-codes.txt');
        check(download.codes.length === 10, 'the downloaded file has exactly 10 codes', `${download.codes.length}`);
        check(download.codes.every((c, i) => c === shown[i]), 'the downloaded codes are the ones shown');
        check(download.suggested.endsWith('.txt') && download.text.includes('Keep these codes as safe as a password'),
            'the download is the library\'s text file', download.suggested);
        await clickToAuthenticationTab('Finish');
        check(await onAuthenticationTab() && (await statusText()).includes('Two-factor authentication is on'),
            'Finish: 2FA is on', await statusText());
        check(await twoFactorSwitch().getAttribute('aria-checked') === 'true', 'the toggle is on');
        check((await page.locator('main').textContent()).includes('10 of 10'), '10 of 10 backup codes unused');
        await shot('07-authentication-tab-on');
        await signOut();

        // Sign in: password, then a fresh code from the app.
        await signInWithPassword();
        check(new URL(page.url()).pathname === '/login/code', 'with 2FA on the password leads to the code step');
        await shot('08-sign-in-code-step');
        const login = await freshCode();
        await enterCode(login.code);
        lastStep = login.step;
        check(await onAuthenticationTab(), 'password + a fresh code signs in', await alertText());
        await signOut();

        // The same code again: a replay, refused with a clear message.
        await signInWithPassword();
        await enterCode(login.code);
        const replay = await alertText();
        check(replay.includes('This code was already used'), 'a replayed code is refused as already used', replay);
        await shot('09-replayed-code');

        // A backup code signs in once...
        const backupCode = shown[0];
        await enterCode(backupCode.toLowerCase().replace(/-/g, ' '));
        check(await onAuthenticationTab(), 'a backup code (typed in lower case with spaces) signs in', await alertText());
        check((await statusText()).includes('9 backup codes are left'), 'the page says 9 backup codes are left',
            await statusText());
        await signOut();

        // ...and never again.
        await signInWithPassword();
        await enterCode(backupCode);
        const used = await alertText();
        check(used.includes('This backup code was already used'), 'a used backup code is refused', used);
        await shot('10-backup-code-used');

        // Guessing: after 5 failures in a row (the used backup code was the first) the account
        // is locked, and while locked even the right code is not checked.
        for (let i = 0; i < 5; ++i) await enterCode(wrongCode());
        const locked = await alertText();
        const lockedFor = locked.match(/locked until \d\d:\d\d:\d\d UTC \((\d+) seconds? from now\)/);
        check(lockedFor !== null && locked.includes('Too many failed attempts'),
            'the 6th failure locks the account with a clear message', locked);
        await shot('11-locked-out');
        await enterCode(shown[1]);
        check((await alertText()).includes('Too many failed attempts'), 'while locked even a valid backup code is refused');
        await sleep((Number(lockedFor[1]) + 1) * 1000);

        // Signing in properly after the lockout.
        const proper = await freshCode();
        await enterCode(proper.code);
        lastStep = proper.step;
        check(await onAuthenticationTab(), 'after the lockout a fresh code signs in', await alertText());

        // Regenerate backup codes (confirmed with a code from the app).
        await page.getByLabel('Code from your authenticator app').fill(shown[2]);
        await clickThrough(page.getByRole('button', { name: 'Regenerate backup codes' }));
        check((await alertText()).includes('a backup code cannot confirm this'),
            'regenerating is not confirmed by a backup code', await alertText());
        const regenerate = await freshCode();
        await page.getByLabel('Code from your authenticator app').fill(regenerate.code);
        await clickThrough(page.getByRole('button', { name: 'Regenerate backup codes' }));
        lastStep = regenerate.step;
        const fresh = await backupCodesOnPage();
        check(fresh.length === 10 && fresh.every((c) => backupCodePattern.test(c) && !shown.includes(c)),
            '10 new backup codes are shown', await alertText());
        await shot('12-new-backup-codes');
        const freshDownload = await downloadBackupCodes('new-backup-codes.txt');
        check(freshDownload.codes.length === 10 && freshDownload.codes.every((c, i) => c === fresh[i]),
            'the new codes download as a file of exactly 10 codes');
        // Shown once: after leaving their page for any other (here the disable page, by its
        // address, without Done), neither the page nor the download has them any more.
        await page.goto(`${base}/settings/authentication/disable`);
        const again = await page.request.get(`${base}/settings/authentication/backup-codes.txt`);
        await page.goto(`${base}/settings/authentication/backup-codes`);
        check(new URL(page.url()).pathname === '/settings/authentication' && again.status() === 404,
            'the new backup codes cannot be shown or downloaded again', `${page.url()} ${again.status()}`);
        check((await page.locator('main').textContent()).includes('10 of 10'), '10 of 10 new backup codes unused');
        await signOut();

        // An old, unused backup code no longer works; a new one does.
        await signInWithPassword();
        await enterCode(shown[3]);
        check((await alertText()).includes('That code is not correct'), 'an old backup code stops working',
            await alertText());
        await enterCode(fresh[0]);
        check(await onAuthenticationTab(), 'a new backup code signs in', await alertText());

        // Reconfigure: the whole wizard again, with a new secret, confirmed by the current second
        // factor (checked as a login). Cancelling changes nothing.
        await page.getByLabel('Current code or backup code').fill(wrongCode());
        await clickThrough(page.getByRole('button', { name: 'Reconfigure' }));
        check((await alertText()).includes('Reconfiguration not started') &&
              (await alertText()).includes('That code is not correct') &&
              await page.locator('.qr svg path').count() === 0,
        'Reconfigure with a wrong code does not start', await alertText());
        const confirmReconfigure = await freshCode();
        await page.getByLabel('Current code or backup code').fill(confirmReconfigure.code);
        await clickThrough(page.getByRole('button', { name: 'Reconfigure' }));
        lastStep = confirmReconfigure.step;
        check(await page.locator('.qr svg path').count() === 1, 'Reconfigure opens the wizard on a new QR code');
        await clickToAuthenticationTab('Cancel');
        check((await statusText()).includes('nothing changed') &&
              (await page.locator('main').textContent()).includes('9 of 10'), 'a cancelled reconfiguration changes nothing');
        // A backup code confirms too (for a user who lost the device with the app).
        await page.getByLabel('Current code or backup code').fill(fresh[4]);
        await clickThrough(page.getByRole('button', { name: 'Reconfigure' }));
        await clickThrough(page.getByRole('link', { name: 'setup code' }));
        const oldSecret = secret;
        secret = (await page.locator('#setup-code').textContent()).replace(/\s+/g, '');
        check(secret.length === 32 && secret !== oldSecret, 'the reconfiguration has a new secret');
        await clickThrough(page.getByRole('button', { name: 'Next' }));
        lastStep = -1;  // the new secret has been used for nothing yet
        const reconfigured = await freshCode();
        await page.getByLabel('Six-digit code').fill(reconfigured.code);
        await clickThrough(page.getByRole('button', { name: 'Next' }));
        lastStep = reconfigured.step;
        const current = await backupCodesOnPage();
        check(current.length === 10 && current.every((c) => !fresh.includes(c)), 'the reconfiguration shows 10 new backup codes');
        await shot('13-reconfigured-backup-codes');
        // Meanwhile the user signs in in another browser with the configuration still in use
        // (a backup code): Finish follows that change to the record instead of failing.
        const elsewhere = await browser.newContext();
        const elsewherePage = await elsewhere.newPage();
        await elsewherePage.goto(`${base}/login`);
        await elsewherePage.getByLabel('Username').fill(demo.name);
        await elsewherePage.getByLabel('Password').fill(demo.password);
        await clickThrough(elsewherePage.getByRole('button', { name: 'Sign in' }));
        await elsewherePage.getByLabel('Code or backup code').fill(fresh[5]);
        await clickThrough(elsewherePage.getByRole('button', { name: 'Verify' }));
        await elsewherePage.waitForURL((url) => url.pathname === '/settings/authentication', { timeout: 10000 })
            .catch(() => {});
        check(new URL(elsewherePage.url()).pathname === '/settings/authentication' &&
              (await elsewherePage.locator('main').textContent()).includes('7 of 10'),
        'mid-reconfiguration, the configuration in use still signs in elsewhere', elsewherePage.url());
        await clickToAuthenticationTab('Finish');
        check((await statusText()).includes('Two-factor authentication is on') &&
              (await page.locator('main').textContent()).includes('10 of 10'), 'Finish: the new configuration is on');
        // Whoever signed in with the old configuration must pass the new one: signed out.
        await elsewherePage.goto(`${base}/settings/authentication`);
        check(new URL(elsewherePage.url()).pathname === '/login',
            'Finish signs out the other browsers of the account', elsewherePage.url());
        await elsewhere.close();
        await signOut();

        // The old app's codes and the old backup codes stop working; the new backup codes work.
        await signInWithPassword();
        const oldSecretCode = execFileSync('oathtool', ['--totp', '-b', oldSecret], { encoding: 'utf8' }).trim();
        await enterCode(oldSecretCode);
        check((await alertText()).includes('That code is not correct'), 'after reconfiguring, the old app\'s code fails');
        await enterCode(fresh[1]);
        check((await alertText()).includes('That code is not correct'), 'after reconfiguring, the old backup codes fail');
        await enterCode(current[0]);
        check(await onAuthenticationTab(), 'a backup code of the new configuration signs in', await alertText());

        // Two browsers race with one backup code: exactly one signs in (compare-and-set on the
        // record's revision), the other is told the code was already used.
        const racers = await Promise.all([browser.newContext(), browser.newContext()]);
        const racerPages = await Promise.all(racers.map((c) => c.newPage()));
        for (const racer of racerPages) {
            await racer.goto(`${base}/login`);
            await racer.getByLabel('Username').fill(demo.name);
            await racer.getByLabel('Password').fill(demo.password);
            await clickThrough(racer.getByRole('button', { name: 'Sign in' }));
            await racer.getByLabel('Code or backup code').fill(current[2]);
        }
        await Promise.all(racerPages.map((racer) => clickThrough(racer.getByRole('button', { name: 'Verify' }))));
        const raced = await Promise.all(racerPages.map(async (racer) => ({
            signedIn: new URL(racer.url()).pathname === '/settings/authentication',
            alert: (await racer.locator('[role=alert]').allTextContents()).join(' '),
        })));
        check(raced.filter((r) => r.signedIn).length === 1 &&
              raced.some((r) => !r.signedIn && r.alert.includes('This backup code was already used')),
        'two sign-ins racing with one backup code: one wins, the other is refused', JSON.stringify(raced));
        await Promise.all(racers.map((c) => c.close()));

        // A forged "disable" (wrong CSRF token, valid backup code) is refused and changes nothing:
        // 2FA stays on and the backup code stays unused.
        const forgedDisable = await page.request.post(`${base}/settings/authentication/disable`, {
            form: { csrf: 'f'.repeat(64), code: current[1] }, maxRedirects: 0,
        });
        check(forgedDisable.status() === 403, 'a forged disable is refused with 403', `${forgedDisable.status()}`);
        await page.reload();
        check(await twoFactorSwitch().getAttribute('aria-checked') === 'true' &&
              (await page.locator('main').textContent()).includes('8 of 10'), 'the forged disable changed nothing');

        // Disable: toggle off, confirmed with that backup code.
        await clickThrough(twoFactorSwitch());
        await shot('14-disable');
        await page.getByLabel('Code or backup code').fill(current[1]);
        await clickThrough(page.getByRole('button', { name: 'Disable' }));
        check((await statusText()).includes('Two-factor authentication is off'), 'disable: 2FA is off',
            await alertText());
        check(await twoFactorSwitch().getAttribute('aria-checked') === 'false', 'the toggle is off again');
        await shot('15-authentication-tab-off-again');
        await signOut();

        // The password alone signs in again.
        await signInWithPassword();
        check(await onAuthenticationTab(), 'after disabling, the password alone signs in', page.url());

        // A tampered session cookie: not signed in, and its POSTs are refused.
        const cookies = await context.cookies();
        const sessionCookie = cookies.find((c) => c.name === 'twofactor_session');
        check(sessionCookie && sessionCookie.httpOnly && sessionCookie.sameSite === 'Strict',
            'the session cookie is HttpOnly and SameSite=Strict');
        const token = await csrfToken();
        const flipped = sessionCookie.value.slice(0, -1) + (sessionCookie.value.endsWith('0') ? '1' : '0');
        const forger = await browser.newContext();
        await forger.addCookies([{ ...sessionCookie, value: flipped }]);
        const forgerPage = await forger.newPage();
        await forgerPage.goto(`${base}/settings/authentication`);
        check(new URL(forgerPage.url()).pathname === '/login', 'a tampered session cookie is not signed in',
            forgerPage.url());
        await forger.clearCookies();
        await forger.addCookies([{ ...sessionCookie, value: flipped }]);
        const tamperedPost = await forger.request.post(`${base}/settings/authentication/enable`, {
            form: { csrf: token }, maxRedirects: 0,
        });
        check(tamperedPost.status() === 403, 'a POST with a tampered session cookie is refused with 403',
            `${tamperedPost.status()}`);
        await forger.close();
        await page.reload();
        check(await onAuthenticationTab() && await twoFactorSwitch().getAttribute('aria-checked') === 'false',
            'the real session still works and nothing changed');
        await signOut();
    } catch (error) {
        await shot('failure').catch(() => {});
        throw error;
    } finally {
        await browser.close();
        server.kill('SIGTERM');
        rmSync(folder, { recursive: true, force: true });
    }
}

const started = Date.now();
try {
    if (!existsSync(serverBinary)) throw new Error(`no server at ${serverBinary}: build examples/web first`);
    await run();
    console.log(`e2e: all ${checks} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `screenshots in ${artifacts}`);
} catch (error) {
    console.error(`e2e: FAILED after ${checks} checks: ${error.message}`);
    process.exit(1);
}
