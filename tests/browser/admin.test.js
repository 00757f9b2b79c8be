'use strict';
// The console's admin view (#/admin) in headless Chromium against the real blynkd: an
// administrator sees the server figures, the devices with their real tokens and a board's live
// session; disconnects it, creates a user who can then log in from an app, makes a new token
// that replaces the old one; a non-administrator gets no Admin button and a refusal. Part of it
// runs at phone size. The page must run clean under its Content-Security-Policy.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Blynkd } = require('../clients/lib/blynkd');
const { appHash, connectApp, connectBoard } = require('./lib/blynk_wire');
const { launchChromium, signIn: fillSignIn, shutDown } = require('./lib/chromium');

const SCREENSHOTS = process.env.SCREENSHOT_DIR || path.join(os.tmpdir(), 'blynkd-console-screenshots');
const ADMIN = 'root@example.com';
const ADMIN_PASSWORD = 'pw';
const USER = 'alice@example.com';
const USER_PASSWORD = 'alice password';
const NEW_USER = 'bob@example.com';
const NEW_PASSWORD = 'hunter2 hunter2';
const PHONE = { width: 360, height: 740, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const DESKTOP = { width: 1280, height: 900, deviceScaleFactor: 1 };
/** The board's INTERNAL command, which carries its "info" (library and firmware versions). */
const INTERNAL = 17;
/** A board's event: name and description, stored in the device's event log. */
const EVENT_LOG = 64;

const server = new Blynkd({ 'storage.flush.interval.ms': '100' });
let consoleUrl;
let browser;
let desktop;
let phone;
let token;
const boards = [];
const problems = [];
const pages = [];
// The non-administrator's page is refused on purpose: the browser logs that 403 as an error.
let expectAdminRefusal = false;

test.before(async () => {
  server.cli('user', 'add', ADMIN, '--password', ADMIN_PASSWORD, '--admin');
  token = server.provision(USER, 'Greenhouse', { password: USER_PASSWORD });
  await server.start();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleUrl = `https://127.0.0.1:${server.tlsPort}/`;
  browser = await launchChromium();
});

test.after(() => shutDown(server, browser, ...boards));

/** A tab (in `context`) whose console errors, page errors, failed requests and CSP violations are kept. */
async function watchedPage(viewport, context = browser.defaultBrowserContext()) {
  const tab = await context.newPage();
  tab.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warn') return;
    const url = message.location()?.url ?? '';
    if (expectAdminRefusal && /\/api\/admin\/overview$/.test(url) && /status of 403/.test(message.text())) return;
    problems.push(`console ${message.type()}: ${message.text()} ${url}`);
  });
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  tab.on('requestfailed', (request) => {
    // A poll cut short by closing the tab at the end of a test is not a failure of the page.
    if (request.failure()?.errorText === 'net::ERR_ABORTED' && tab.isClosed()) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  await tab.evaluateOnNewDocument(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await tab.setViewport(viewport);
  pages.push(tab);
  return tab;
}

async function signIn(tab, email, password) {
  await tab.goto(consoleUrl, { waitUntil: 'load' });
  await fillSignIn(tab, email, password);
  await tab.waitForSelector('#console:not([hidden])');
}

/** The text of a server figure ("devices-online", "connections", …). */
function figure(tab, key) {
  return tab.$eval(`[data-figure="${key}"] .admin-figure__value`, (e) => e.textContent);
}

/** The rows of a section's table, each as its cells' texts. */
function rows(tab, section) {
  return tab.$$eval(`#${section} > .admin-table-wrap tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
}

/** Clicks a row's button: the first row of `section` whose text includes `text`. */
async function clickInRow(tab, section, text, action) {
  const clicked = await tab.$$eval(
    `#${section} > .admin-table-wrap tbody tr`,
    (trs, text, action) => {
      const row = trs.find((tr) => tr.textContent.includes(text));
      const button = row?.querySelector(`[data-action="${action}"]`);
      button?.click();
      return Boolean(button);
    },
    text,
    action,
  );
  assert.ok(clicked, `no ${action} button in a row of #${section} with ${text}`);
}

/** Answers the confirmation dialog. */
async function confirmDialog(tab, expected) {
  await tab.waitForSelector('dialog.admin-dialog[open]');
  assert.match(await tab.$eval('dialog.admin-dialog', (d) => d.textContent), expected);
  await tab.click('dialog.admin-dialog [data-answer="yes"]');
  await tab.waitForFunction(() => !document.querySelector('dialog.admin-dialog'));
}

/** Resolves when the board's socket is closed by the server. */
function closed(board, ms = 15000) {
  return new Promise((resolve, reject) => {
    if (board.socket.destroyed) return resolve();
    const timer = setTimeout(() => reject(new Error('the board was not disconnected')), ms);
    board.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

test('an administrator gets the Admin button and the view: figures and devices with their tokens', async () => {
  desktop = await watchedPage(DESKTOP);
  await signIn(desktop, ADMIN, ADMIN_PASSWORD);
  await desktop.waitForSelector('#admin-button:not([hidden])');
  await desktop.click('#admin-button');
  await desktop.waitForSelector('#admin .admin-content:not([hidden])');
  assert.strictEqual(await desktop.evaluate(() => location.hash), '#/admin');
  assert.strictEqual(await desktop.$eval('#console', (e) => getComputedStyle(e).display), 'none', 'the dashboard is not shown');
  assert.strictEqual(await figure(desktop, 'devices-online'), '0 / 1');
  assert.match(await desktop.$eval('[data-figure="devices-online"]', (e) => e.textContent), /2 users/);
  assert.match(await figure(desktop, 'uptime'), /^\d+ (s|min)/);
  assert.match(await figure(desktop, 'rss'), /^\d+(\.\d)? MB$/);
  assert.strictEqual(await figure(desktop, 'console-sessions'), '1');
  const users = await rows(desktop, 'admin-users');
  assert.deepStrictEqual(users.map((r) => r[0]), [USER, ADMIN]);
  assert.match(users[1][1], /administrator/);
  const devices = await rows(desktop, 'admin-devices');
  assert.strictEqual(devices.length, 1);
  assert.match(devices[0][0], /Greenhouse/);
  assert.strictEqual(devices[0][1], USER);
  assert.match(devices[0][2], /offline/);
  assert.strictEqual(await desktop.$eval('#admin-devices .admin-token', (e) => e.textContent), token);
});

test('the token copies to the clipboard', async () => {
  await browser.defaultBrowserContext().overridePermissions(consoleUrl.replace(/\/$/, ''), ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  await clickInRow(desktop, 'admin-devices', 'Greenhouse', 'copy');
  await desktop.waitForFunction(() => document.querySelector('#admin-devices [data-action="copy"]')?.textContent === 'Copied');
  assert.strictEqual(await desktop.evaluate(() => navigator.clipboard.readText()), token);
});

test("a board's session appears by itself, with its firmware and address", async () => {
  const board = await connectBoard(server.port, token);
  boards.push(board);
  await board.request(INTERNAL, ['ver', '1.4.0', 'fw', '2.1.0', 'dev', 'ESP32']);
  // No click: the view reloads every few seconds while visible.
  await desktop.waitForFunction(
    () => [...document.querySelectorAll('#admin-sessions tbody tr')].some((tr) => tr.textContent.includes('hardware')),
    { timeout: 10000 },
  );
  const session = (await rows(desktop, 'admin-sessions')).find((r) => r[0] === 'hardware');
  assert.strictEqual(session[1], USER);
  assert.match(session[2], /Greenhouse \(\d+-0\)/);
  assert.strictEqual(session[3], '127.0.0.1');
  assert.match(session[4], /just now/);
  assert.strictEqual(session[5], 'fw 2.1.0 · lib 1.4.0');
  assert.strictEqual(await figure(desktop, 'devices-online'), '1 / 1');
  const device = (await rows(desktop, 'admin-devices'))[0];
  assert.match(device[2], /^online/);
  assert.match(device[4], /fw 2\.1\.0/);
});

test("a device's event log, and the message rates", async () => {
  const board = boards[0];
  board.send(EVENT_LOG, ['door_open', 'Front door']);
  await clickInRow(desktop, 'admin-devices', 'Greenhouse', 'events');
  await desktop.waitForSelector('#admin-events:not([hidden])');
  assert.match(await desktop.$eval('#admin-events-title', (e) => e.textContent), /Greenhouse/);
  // Stored with the next flush; the open log reloads with the lists.
  await desktop.waitForFunction(
    () => [...document.querySelectorAll('#admin-events tbody tr')].some((tr) => tr.textContent.includes('door_open')),
    { timeout: 10000 },
  );
  board.send(EVENT_LOG, ['low_battery', '']);
  await desktop.waitForFunction(() => document.querySelector('#admin-events tbody tr')?.textContent.includes('low_battery'), { timeout: 10000 });
  const events = await rows(desktop, 'admin-events');
  assert.deepStrictEqual(events.map((r) => [r[1], r[2]]), [['low_battery', '—'], ['door_open', 'Front door']]);
  assert.match(events[1][0], /just now/);
  assert.match(await figure(desktop, 'messages'), /^\d+(\.\d)? \/s$/);
  assert.match(await desktop.$eval('[data-figure="messages"]', (e) => e.textContent), /hardware · .* app · .* http/);
  await desktop.screenshot({ path: path.join(SCREENSHOTS, 'console-admin.png'), fullPage: true });
});

test('at phone size the lists are stacked cards; Disconnect (confirmed) closes the board', async () => {
  phone = await watchedPage(PHONE);
  // The cookie signs this tab in; the address opens the admin view straight away.
  await phone.goto(`${consoleUrl}#/admin`, { waitUntil: 'load' });
  await phone.waitForSelector('#admin .admin-content:not([hidden])');
  await phone.waitForFunction(() => [...document.querySelectorAll('#admin-sessions tbody tr')].some((tr) => tr.textContent.includes('hardware')));
  const layout = await phone.evaluate(() => {
    const row = document.querySelector('#admin-devices tbody tr');
    const cell = row.querySelector('td');
    return {
      row: getComputedStyle(row).display,
      label: getComputedStyle(cell, '::before').content,
      header: getComputedStyle(document.querySelector('#admin-devices thead')).display,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
  assert.deepStrictEqual(layout, { row: 'block', label: '"Device"', header: 'none', overflow: 0 });
  // One screen's worth, from the devices: the cards with a token and the actions.
  await phone.$eval('#admin-devices', (e) => e.scrollIntoView({ block: 'start' }));
  await phone.screenshot({ path: path.join(SCREENSHOTS, 'console-admin-phone.png') });

  const board = boards[0];
  const gone = closed(board);
  await clickInRow(phone, 'admin-sessions', 'hardware', 'disconnect');
  await confirmDialog(phone, /Greenhouse/);
  await gone;
  await phone.waitForFunction(() => /Disconnected the board/.test(document.querySelector('#admin-sessions .admin-status').textContent));
  await phone.waitForFunction(() => ![...document.querySelectorAll('#admin-sessions tbody tr')].some((tr) => tr.textContent.includes('hardware')));
  await server.waitForLog(/admin root@example\.com: disconnected session/);
});

test('a tab in the background does not reload; brought to the front it reloads at once', async () => {
  // The phone tab is in front: the desktop tab is hidden.
  assert.strictEqual(await desktop.evaluate(() => document.visibilityState), 'hidden');
  const polls = [];
  const onRequest = (request) => {
    if (request.url().includes('/api/admin/')) polls.push(Date.now());
  };
  desktop.on('request', onRequest);
  await new Promise((r) => setTimeout(r, 6000));
  assert.deepStrictEqual(polls, [], 'no reload while hidden (the interval is 5 s)');
  const shown = Date.now();
  await desktop.bringToFront();
  await desktop.waitForFunction(() => document.visibilityState === 'visible');
  const deadline = Date.now() + 2000;
  while (polls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  desktop.off('request', onRequest);
  assert.ok(polls.length > 0 && polls[0] - shown < 2000, 'reloaded when shown');
  await phone.bringToFront();
});

test('a refused confirmation changes nothing', async () => {
  const board = await connectBoard(server.port, token);
  boards.push(board);
  await phone.click('#admin-reload');
  await phone.waitForFunction(() => [...document.querySelectorAll('#admin-sessions tbody tr')].some((tr) => tr.textContent.includes('hardware')));
  await clickInRow(phone, 'admin-sessions', 'hardware', 'disconnect');
  await phone.waitForSelector('dialog.admin-dialog[open]');
  await phone.click('dialog.admin-dialog [data-answer="no"]');
  await phone.waitForFunction(() => !document.querySelector('dialog.admin-dialog'));
  await new Promise((r) => setTimeout(r, 300));
  assert.strictEqual(board.socket.destroyed, false);
  board.close();
});

test('a new token (confirmed, at phone size) replaces the old one: the old no longer logs in', async () => {
  await clickInRow(phone, 'admin-devices', 'Greenhouse', 'refresh-token');
  await confirmDialog(phone, /old token stops working/);
  await phone.waitForFunction(() => /New token for/.test(document.querySelector('#admin-devices .admin-status').textContent));
  const fresh = await phone.$eval('#admin-devices .admin-status .admin-token', (e) => e.textContent);
  assert.match(fresh, /^[\w-]{32}$/);
  assert.notStrictEqual(fresh, token);
  await phone.waitForFunction((fresh) => document.querySelector('#admin-devices tbody .admin-token')?.textContent === fresh, {}, fresh);
  await assert.rejects(connectBoard(server.port, token), /hardware login|no answer/);
  const board = await connectBoard(server.port, fresh);
  boards.push(board);
  token = fresh;
});

test('creating a user on the page: that user logs in from an app', async () => {
  await desktop.bringToFront();
  await desktop.type('#admin-new-email', NEW_USER);
  await desktop.type('#admin-new-password', NEW_PASSWORD);
  await desktop.click('#admin-create-user button[type="submit"]');
  await desktop.waitForFunction(() => /Created user bob@example\.com/.test(document.querySelector('#admin-create-user .admin-status').textContent));
  await desktop.waitForFunction(() => [...document.querySelectorAll('#admin-users tbody tr')].some((tr) => tr.textContent.includes('bob@example.com')));
  const app = await connectApp(server.port, NEW_USER, appHash(NEW_USER, NEW_PASSWORD));
  app.close();
  await server.waitForLog(/admin root@example\.com: created user bob@example\.com/);

  // The same address again: the API's refusal shows as it is.
  await desktop.type('#admin-new-email', NEW_USER);
  await desktop.type('#admin-new-password', 'other');
  await desktop.click('#admin-create-user button[type="submit"]');
  await desktop.waitForFunction(() => document.querySelector('#admin-create-user .admin-status').dataset.kind === 'error');
  assert.match(await desktop.$eval('#admin-create-user .admin-status', (e) => e.textContent), /exists/);
  await expectConsoleError(/status of 409/);
});

/** A refusal the test caused on purpose (the browser logs failed loads as console errors). */
async function expectConsoleError(pattern) {
  const deadline = Date.now() + 2000;
  while (!problems.some((p) => pattern.test(p)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const index = problems.findIndex((p) => pattern.test(p));
  assert.ok(index >= 0, `no console error matching ${pattern}`);
  problems.splice(index, 1);
}

test('creating a device for a user: it shows with its token, and can be deleted (confirmed)', async () => {
  await desktop.select('#admin-new-device-owner', USER);
  const dash = await desktop.$eval('#admin-new-device-dash', (e) => e.value);
  assert.match(dash, /^\d+$/, 'the dashboard of the user’s devices is offered');
  await desktop.type('#admin-new-device-name', 'Pump');
  // A dashboard the user does not have: the API's refusal, in its words.
  await desktop.$eval('#admin-new-device-dash', (e) => { e.value = '999'; });
  await desktop.click('#admin-create-device button[type="submit"]');
  await desktop.waitForFunction(() => document.querySelector('#admin-create-device .admin-status').dataset.kind === 'error');
  assert.strictEqual(await desktop.$eval('#admin-create-device .admin-status', (e) => e.textContent), 'No such dashboard or device.');
  await expectConsoleError(/status of 404/);
  await desktop.$eval('#admin-new-device-dash', (e, dash) => { e.value = dash; }, dash);
  await desktop.click('#admin-create-device button[type="submit"]');
  await desktop.waitForFunction(() => /Created “Pump”/.test(document.querySelector('#admin-create-device .admin-status').textContent));
  const pumpToken = await desktop.$eval('#admin-create-device .admin-status .admin-token', (e) => e.textContent);
  await desktop.waitForFunction(() => [...document.querySelectorAll('#admin-devices tbody tr')].some((tr) => tr.textContent.includes('Pump')));
  const board = await connectBoard(server.port, pumpToken);
  const gone = closed(board);
  await clickInRow(desktop, 'admin-devices', 'Pump', 'delete');
  await confirmDialog(desktop, /cannot be undone/);
  await gone;
  await desktop.waitForFunction(() => ![...document.querySelectorAll('#admin-devices tbody tr')].some((tr) => tr.textContent.includes('Pump')));
  // The filter shows one user's devices.
  await desktop.select('#admin-device-filter', NEW_USER);
  assert.deepStrictEqual(await rows(desktop, 'admin-devices'), []);
  assert.strictEqual(await desktop.$eval('#admin-devices .admin-empty', (e) => e.hidden), false);
  await desktop.select('#admin-device-filter', '');
  assert.strictEqual((await rows(desktop, 'admin-devices')).length, 1);
});

test('deleting a user (confirmed): the account is gone and its app disconnected; never oneself', async () => {
  const ownDelete = await desktop.$$eval(
    '#admin-users > .admin-table-wrap tbody tr',
    (trs, me) => trs.find((tr) => tr.textContent.includes(me))?.querySelector('[data-action="delete-user"]') ?? null,
    ADMIN,
  );
  assert.strictEqual(ownDelete, null, 'no Delete on the signed-in administrator');
  const app = await connectApp(server.port, NEW_USER, appHash(NEW_USER, NEW_PASSWORD));
  const gone = closed(app);
  await clickInRow(desktop, 'admin-users', NEW_USER, 'delete-user');
  await confirmDialog(desktop, /cannot be undone/);
  await gone;
  await desktop.waitForFunction(
    (email) => ![...document.querySelectorAll('#admin-users tbody tr')].some((tr) => tr.textContent.includes(email)),
    {},
    NEW_USER,
  );
  await assert.rejects(connectApp(server.port, NEW_USER, appHash(NEW_USER, NEW_PASSWORD)), /app login/);
});

test('"Dashboards" leaves the view; the Admin button brings it back', async () => {
  await desktop.click('#admin-button');
  await desktop.waitForSelector('#admin', { hidden: true });
  assert.strictEqual(await desktop.$eval('#console', (e) => getComputedStyle(e).display), 'block');
  assert.strictEqual(await desktop.$eval('#admin-button', (e) => e.textContent), 'Admin');
  await desktop.click('#admin-button');
  await desktop.waitForSelector('#admin:not([hidden]) .admin-content');
});

test('a non-administrator gets no Admin button, and #/admin shows the refusal', async () => {
  // Another browser profile: its own cookie jar.
  const context = await browser.createBrowserContext();
  const tab = await watchedPage(PHONE, context);
  await signIn(tab, USER, USER_PASSWORD);
  await tab.waitForSelector('#dashboard[data-active-dashboard]');
  assert.strictEqual(await tab.$eval('#admin-button', (e) => e.hidden), true);
  expectAdminRefusal = true;
  await tab.evaluate(() => {
    location.hash = '#/admin';
  });
  await tab.waitForSelector('#admin .admin-refusal');
  expectAdminRefusal = false;
  const text = await tab.$eval('#admin .admin-refusal', (e) => e.textContent);
  assert.match(text, /Administrators only/);
  assert.strictEqual(await tab.$eval('#admin-button', (e) => e.hidden), true);
  assert.strictEqual(await tab.$$eval('#admin-users, #admin-devices, #admin-sessions', (e) => e.length), 0);
  const violations = await tab.evaluate(() => window.cspViolations);
  assert.deepStrictEqual(violations, []);
  await context.close();
});

test('no console errors, page errors or CSP violations', async () => {
  for (const tab of [desktop, phone]) {
    assert.deepStrictEqual(await tab.evaluate(() => window.cspViolations), []);
  }
  assert.deepStrictEqual(problems, []);
});
