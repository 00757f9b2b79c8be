'use strict';
// The web console in headless Chromium against the real blynkd: sign in, a board's write shows
// on the dashboard, a tap reaches the board, properties and offline state apply live, and the
// page runs clean under its Content-Security-Policy. Screenshots go to docs/images/.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Blynkd } = require('../clients/lib/blynkd');
const { appHash, Command, connectApp, connectBoard } = require('./lib/blynk_wire');
const { launchChromium, signIn: fillSignIn, shutDown } = require('./lib/chromium');
const { showcaseWidgets } = require('./lib/showcase');

// ctest sets a folder in the build tree; SCREENSHOT_DIR=docs/images refreshes the README's.
const SCREENSHOTS = process.env.SCREENSHOT_DIR || path.join(os.tmpdir(), 'blynkd-console-screenshots');
const EMAIL = 'web@example.com';
const PASSWORD = 'correct horse battery';
// A second account, locked out by the lockout test (login.failures.per.account: 5 by default).
const LOCKED_EMAIL = 'guessed@example.com';
const PHONE = { width: 360, height: 740, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const DESKTOP = { width: 1280, height: 800, deviceScaleFactor: 1 };

const server = new Blynkd({ 'storage.flush.interval.ms': '100' });
let consoleUrl;
let browser;
let page;
let app;
let board;
let dashId;
let deviceId;
const problems = [];
const pages = [];
// Refused sign-ins (401/403) are logged by the browser as failed loads; only the lockout test
// expects them.
let expectRefusals = false;

test.before(async () => {
  const token = server.provision(EMAIL, 'Greenhouse', { password: PASSWORD });
  server.provision(LOCKED_EMAIL, 'Shed', { password: PASSWORD });
  await server.start();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  // The dashboard is built over the app protocol, as the app (or later the console) would.
  app = await connectApp(server.port, EMAIL, appHash(EMAIL, PASSWORD));
  const profile = await app.loadProfile();
  dashId = profile.dashBoards[0].id;
  deviceId = profile.dashBoards[0].devices[0].id;
  for (const widget of showcaseWidgets(deviceId)) await app.createWidget(dashId, widget);
  board = await connectBoard(server.port, token);

  // The console blynkd serves from the binary, over TLS (its generated certificate).
  consoleUrl = `https://127.0.0.1:${server.tlsPort}/`;

  browser = await launchChromium();
  page = await watchedPage(PHONE);
});

/** A new tab whose console errors, page errors, failed requests and CSP violations are kept. */
async function watchedPage(viewport) {
  const tab = await browser.newPage();
  tab.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warn') return;
    const url = message.location()?.url ?? '';
    if (expectRefusals && /\/api\/session$/.test(url) && /status of 40[13]/.test(message.text())) return;
    problems.push(`console ${message.type()}: ${message.text()} ${url}`);
  });
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  tab.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  await tab.evaluateOnNewDocument(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  // Set before loading: changing touch emulation later reloads the page, which signs it out.
  await tab.setViewport(viewport);
  pages.push(tab);
  return tab;
}

/** Waits for the dashboard to be shown and active (device writes reach the page only then). */
async function dashboardShown(tab) {
  await tab.waitForSelector('.widget--button .toggle');
  await tab.waitForSelector(`#dashboard[data-active-dashboard="${dashId}"]`);
}

/** Signs in on the console's form and waits for the dashboard to be active. */
async function signIn(tab) {
  await tab.goto(consoleUrl, { waitUntil: 'load' });
  await fillSignIn(tab, EMAIL, PASSWORD);
  await dashboardShown(tab);
}

test.after(() => shutDown(server, browser, board, app));

/** The text of a widget's element, found by the widget's label. */
function widgetText(label, selector) {
  return page.evaluate(
    (label, selector) => {
      const widget = [...document.querySelectorAll('.widget')].find((w) => w.querySelector('.widget__label')?.textContent === label);
      return widget?.querySelector(selector)?.textContent ?? null;
    },
    label,
    selector,
  );
}

async function waitForWidgetText(label, selector, expected, timeout = 5000) {
  await page.waitForFunction(
    (label, selector, expected) => {
      const widget = [...document.querySelectorAll('.widget')].find((w) => w.querySelector('.widget__label')?.textContent === label);
      return widget?.querySelector(selector)?.textContent === expected;
    },
    { timeout },
    label,
    selector,
    expected,
  );
}

test('signs in with the app password and shows the dashboard live', async () => {
  await signIn(page);
  assert.strictEqual(await page.$eval('#connection-state', (e) => e.dataset.state), 'online');
  assert.strictEqual(await page.$eval('#user', (e) => e.textContent), EMAIL);
  const device = await page.$eval(`.device[data-device-id="${deviceId}"]`, (e) => e.classList.contains('is-online'));
  assert.strictEqual(device, true, 'the board logged in before the page: its chip shows online');
});

test('the session cookie is HttpOnly, Secure and SameSite=Strict; changes need the CSRF token', async () => {
  const cookie = (await page.cookies()).find((c) => c.name === 'blynkd_session');
  assert.ok(cookie, 'signed in with a cookie');
  assert.strictEqual(cookie.httpOnly, true);
  assert.strictEqual(cookie.secure, true);
  assert.strictEqual(cookie.sameSite, 'Strict');
  assert.strictEqual(await page.evaluate(() => document.cookie.includes('blynkd_session')), false);
  // A request without the token (what a forged one would be) is refused; the session stays.
  expectRefusals = true;
  const status = await page.evaluate(async () => (await fetch('/api/session', { method: 'DELETE' })).status);
  expectRefusals = false;
  assert.strictEqual(status, 403);
  const session = await page.evaluate(async () => (await fetch('/api/session')).json());
  assert.strictEqual(session.email, EMAIL);
});

test("a board's write to V5 shows in the value display", async () => {
  board.send(Command.HARDWARE, ['vw', '5', '23.5']);
  await waitForWidgetText('Temperature', '.value', '23.5');
});

test('a tap on the button reaches the board as dw 13 1, and a second tap as dw 13 0', async () => {
  const isLampWrite = (value) => (f) => f.command === Command.HARDWARE && f.body.toString() === `dw\0${13}\0${value}`;
  let received = board.next(isLampWrite('1'));
  await page.tap('.widget--button .toggle');
  await received;
  await waitForWidgetText('Lamp', '.toggle', 'ON');
  received = board.next(isLampWrite('0'));
  await page.tap('.widget--button .toggle');
  await received;
  await waitForWidgetText('Lamp', '.toggle', 'OFF');
});

test('properties set by the board apply live (label, colour)', async () => {
  board.send(Command.SET_WIDGET_PROPERTY, ['5', 'label', 'Outside']);
  await waitForWidgetText('Outside', '.value', '23.5');
  board.send(Command.SET_WIDGET_PROPERTY, ['5', 'color', '#D3435C']);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.widget')].some((w) => w.style.getPropertyValue('--accent') === '#D3435C'),
  );
  board.send(Command.SET_WIDGET_PROPERTY, ['5', 'label', 'Temperature']);
  await waitForWidgetText('Temperature', '.value', '23.5');
});

test('an unknown widget type shows a labelled placeholder', async () => {
  const text = await page.$eval('.widget--placeholder', (e) => e.textContent);
  assert.match(text, /map/i);
});

test('device writes reach the page, latency measured (target: p99 within 100 ms)', async (t) => {
  await page.evaluate(() => {
    window.seen = {};
    const output = [...document.querySelectorAll('.widget')]
      .find((w) => w.querySelector('.widget__label')?.textContent === 'Temperature')
      .querySelector('.value');
    new MutationObserver(() => {
      window.seen[output.textContent] ??= Date.now();
    }).observe(output, { childList: true, characterData: true, subtree: true });
  });
  const sent = {};
  for (let i = 0; i < 100; i++) {
    const value = String(1000 + i);
    sent[value] = Date.now();
    board.send(Command.HARDWARE, ['vw', '5', value]);
    await new Promise((r) => setTimeout(r, 20));
  }
  await waitForWidgetText('Temperature', '.value', '1099');
  const seen = await page.evaluate(() => window.seen);
  // A write superseded within the same animation frame is never drawn; those are not late.
  const latencies = Object.keys(sent)
    .filter((v) => seen[v] !== undefined)
    .map((v) => seen[v] - sent[v])
    .sort((a, b) => a - b);
  // Measured and reported against the target (p99 <= 100 ms), not asserted: a test must
  // not fail on time on a shared machine. What is asserted: the writes were drawn, the last one
  // last.
  assert.ok(latencies.length > 0, 'no write was drawn');
  const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1];
  t.diagnostic(
    `board write to drawn value (${latencies.length} of 100 drawn): median ${latencies[latencies.length >> 1]} ms, ` +
      `p99 ${p99} ms (target 100 ms), max ${latencies.at(-1)} ms`,
  );
  board.send(Command.HARDWARE, ['vw', '5', '23.5']);
  await waitForWidgetText('Temperature', '.value', '23.5');
});

/** Writes V5 values for the live chart, 50 ms apart. */
async function chartWrites(count) {
  for (let i = 0; i < count; i++) {
    board.send(Command.HARDWARE, ['vw', '5', (22 + Math.sin(i / 3) * 2).toFixed(2)]);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a phone-size screenshot, every family with a value', async () => {
  const writes = [
    ['vw', '6', '180'], ['vw', '7', '640'], ['vw', '8', '255'], ['vw', '9', '61.25'],
    ['vw', '10', 'blynkd console\n'], ['vw', '10', 'board online, V5 = 23.5\n'],
    ['vw', '11', '2'], ['vw', '12', '3'], ['vw', '14', '35', '180', '200'], ['vw', '15', '200', '90'],
    ['vw', '16', 'add', '1', 'Pump', 'on'], ['vw', '16', 'add', '2', 'Fan', '40 %'],
    ['vw', '17', 'clr'], ['vw', '17', 'p', '0', '0', 'Soil 41 %'], ['vw', '17', 'p', '0', '1', 'Air  23.5 C'],
    ['vw', '18', '5'], ['vw', '19', '700'],
  ];
  for (const body of writes) board.send(Command.HARDWARE, body);
  await chartWrites(20);
  await waitForWidgetText('Table', '.table__value', 'on');
  assert.strictEqual(await widgetText('LCD', '.lcd'), 'Soil 41 %       \nAir  23.5 C     ');
  assert.strictEqual(await widgetText('Gauge', '.gauge__value'), '640');
  assert.strictEqual(await widgetText('Labeled', '.value'), 'Soil 61.3 %');
  assert.match(await page.$eval('.chart', (e) => e.getAttribute('aria-label')), /V5 live: 2\d\.\d+/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-phone.png'), fullPage: true });
});

test('a second tab at desktop size is signed in by the cookie and gets the stored values', async () => {
  const desktop = await watchedPage(DESKTOP);
  await desktop.goto(consoleUrl, { waitUntil: 'load' });
  await dashboardShown(desktop);
  // Activation replays each pin's last value: the gauge's 640, the LCD's last "p" command.
  await desktop.waitForFunction(() => document.querySelector('.gauge__value')?.textContent === '640');
  await desktop.waitForFunction(() => document.querySelector('.lcd')?.textContent.includes('Air  23.5 C'));
  await chartWrites(20);
  await desktop.screenshot({ path: path.join(SCREENSHOTS, 'console-desktop.png'), fullPage: true });
  await desktop.close();
  // Hidden tabs get no animation frames; the phone tab must be in front again to draw.
  await page.bringToFront();
});

test('the board going offline shows live', async () => {
  board.close();
  await page.waitForSelector(`.device[data-device-id="${deviceId}"]:not(.is-online)`, { timeout: 30000 });
  await page.waitForSelector('.widget--button.is-offline');
});

test('signing out ends the session; the sign-in form comes back', async () => {
  const other = await watchedPage(DESKTOP);
  await other.goto(consoleUrl, { waitUntil: 'load' });
  await dashboardShown(other);
  await other.click('#sign-out');
  await other.waitForSelector('#sign-in:not([hidden])');
  const session = await other.evaluate(async () => (await fetch('/api/session')).json());
  assert.strictEqual(session.email, null);
  await other.close();
  await page.bringToFront();
});

test('repeated wrong passwords lock the account, and the page says so', async () => {
  const tab = await watchedPage(PHONE);
  await tab.goto(consoleUrl, { waitUntil: 'load' });
  await tab.waitForSelector('#sign-in:not([hidden])');
  expectRefusals = true;
  const attempt = async (password) => {
    await tab.$eval('#email', (e) => { e.value = ''; });
    await tab.$eval('#password', (e) => { e.value = ''; });
    await tab.type('#email', LOCKED_EMAIL);
    await tab.type('#password', password);
    await tab.$eval('#sign-in-error', (e) => { e.textContent = ''; });
    await tab.click('#sign-in-button');
    await tab.waitForFunction(() => document.querySelector('#sign-in-error').textContent !== '');
    return tab.$eval('#sign-in-error', (e) => e.textContent);
  };
  for (let i = 0; i < 5; i++) assert.match(await attempt(`guess ${i}`), /Wrong e-mail or password/);
  assert.match(await attempt(PASSWORD), /Too many failed sign-ins/, 'locked even with the right password');
  expectRefusals = false;
  await tab.close();
  await page.bringToFront();
});

test('no console errors, page errors or CSP violations', async () => {
  const violations = await page.evaluate(() => window.cspViolations);
  assert.deepStrictEqual(violations, []);
  assert.strictEqual(pages.length, 4);
  assert.deepStrictEqual(problems, []);
});
