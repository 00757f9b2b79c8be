'use strict';
// Notifications and the event log in headless Chromium against the real blynkd: a board's
// notify shows as a toast on an open console page (and as a system notification while the page
// is in the background and allowed), and a device's event list shows the events it logged,
// with new ones added live.

const test = require('node:test');
const assert = require('node:assert');
const { Blynkd } = require('../clients/lib/blynkd');
const { appHash, connectApp, connectBoard } = require('./lib/blynk_wire');
const { launchChromium, signIn, shutDown } = require('./lib/chromium');

const EMAIL = 'alerts@example.com';
const PASSWORD = 'correct horse battery';
const PUSH_NOTIFICATION = 14;
const EVENT_LOG = 64;

// No notify limit: the tests notify several times in a row.
const server = new Blynkd({ 'storage.flush.interval.ms': '100', 'notifications.frequency.user.quota.limit': '0' });
let consoleUrl;
let browser;
let app;
let board;
let dashId;
const problems = [];

test.before(async () => {
  const token = server.provision(EMAIL, 'Water tank', { password: PASSWORD });
  await server.start();
  app = await connectApp(server.port, EMAIL, appHash(EMAIL, PASSWORD));
  const profile = await app.loadProfile();
  dashId = profile.dashBoards[0].id;
  await app.createWidget(dashId, { type: 'NOTIFICATION', id: 900, x: 0, y: 0, width: 2, height: 1 });
  board = await connectBoard(server.port, token);
  consoleUrl = `https://127.0.0.1:${server.tlsPort}/`;
  browser = await launchChromium();
});

test.after(async () => {
  await shutDown(server, browser, board, app);
  assert.deepStrictEqual(problems, [], 'the pages ran without errors');
});

/**
 * A signed-in page with the dashboard active, in a context of its own (no cookie of another
 * test's page); `setup` runs in the page before its scripts.
 */
async function signedInPage(setup) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  if (setup) await page.evaluateOnNewDocument(setup);
  await page.goto(consoleUrl, { waitUntil: 'load' });
  await signIn(page, EMAIL, PASSWORD);
  await page.waitForSelector(`#dashboard[data-active-dashboard="${dashId}"]`);
  return page;
}

/** The board's notify, answered 200. */
async function notify(text) {
  const answer = await board.request(PUSH_NOTIFICATION, [text]);
  assert.strictEqual(answer.status, 200, `notify answered ${answer.status}`);
}

test("a board's notify shows as a toast on the open page", async () => {
  const page = await signedInPage();
  await notify('{DEVICE_NAME} is full');
  await page.waitForSelector('.toast');
  const toast = await page.$eval('.toast', (t) => ({
    title: t.querySelector('.toast__title')?.textContent,
    text: t.querySelector('.toast__text')?.textContent,
  }));
  assert.deepStrictEqual(toast, { title: 'Water tank', text: 'Water tank is full' });
  // The browser has not been asked yet: the page offers to.
  assert.strictEqual(await page.$eval('#notify-permission', (b) => b.hidden), false);
  await page.click('.toast__close');
  assert.strictEqual(await page.$('.toast'), null, 'dismissed');
  await page.browserContext().close();
});

test('in the background with the permission given, it is a system notification', async () => {
  const page = await signedInPage(() => {
    window.shown = [];
    // The browser's Notification as it is once allowed, recording instead of showing.
    window.Notification = class {
      static permission = 'granted';
      static requestPermission() {
        return Promise.resolve('granted');
      }
      constructor(title, options) {
        window.shown.push({ title, body: options.body });
      }
      addEventListener() {}
    };
    Object.defineProperty(document, 'hidden', { get: () => true });
  });
  assert.strictEqual(await page.$eval('#notify-permission', (b) => b.hidden), true, 'nothing to ask');
  await notify('pump stopped');
  await page.waitForFunction(() => window.shown.length === 1);
  assert.deepStrictEqual(await page.evaluate(() => window.shown), [{ title: 'Water tank', body: 'pump stopped' }]);
  assert.strictEqual(await page.$('.toast'), null, 'no toast as well');
  await page.browserContext().close();
});

test("a device's event list shows its logged events, new ones live", async () => {
  board.send(EVENT_LOG, ['overflow', 'level 98%']);
  board.send(EVENT_LOG, ['valve_closed']);
  const page = await signedInPage();
  // Stored with the next flush (100 ms): the list loads what is stored when it opens.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await page.click('#events-button');
  await page.waitForSelector('.events-sheet .events__item');
  const names = () => page.$$eval('.events-sheet .events__name', (nodes) => nodes.map((n) => n.textContent));
  assert.deepStrictEqual(await names(), ['valve_closed', 'overflow'], 'newest first');
  const description = await page.$eval('.events-sheet .events__item:last-child .events__description', (n) => n.textContent);
  assert.strictEqual(description, 'level 98%');

  board.send(EVENT_LOG, ['refilled', 'level 20%']);
  await page.waitForFunction(() => document.querySelector('.events-sheet .events__name')?.textContent === 'refilled');
  assert.deepStrictEqual(await names(), ['refilled', 'valve_closed', 'overflow']);
  await page.browserContext().close();
});
