'use strict';
// The console's SuperChart against the real blynkd in headless Chromium: values a board wrote
// before the page opened come from the stored history (GET /{token}/history/{pin}), a value
// written while it is open is added live, and choosing another period reads history again.

const test = require('node:test');
const assert = require('node:assert');
const { Blynkd } = require('../clients/lib/blynkd');
const { appHash, connectApp, connectBoard, Command } = require('./lib/blynk_wire');
const { launchChromium, keepProblems, signIn, shutDown } = require('./lib/chromium');

const EMAIL = 'chart@example.com';
const PASSWORD = 'a chart of the greenhouse';

const server = new Blynkd({ 'storage.flush.interval.ms': '100' });
let browser;
let page;
let app;
let board;
let dashId;
const problems = [];

const CHART = '.widget--enhanced-graph canvas.chart';

test.before(async () => {
  const token = server.provision(EMAIL, 'Greenhouse', { password: PASSWORD });
  await server.start();
  app = await connectApp(server.port, EMAIL, appHash(EMAIL, PASSWORD));
  const profile = await app.loadProfile();
  dashId = profile.dashBoards[0].id;
  const deviceId = profile.dashBoards[0].devices[0].id;
  await app.createWidget(dashId, {
    type: 'ENHANCED_GRAPH',
    id: 40,
    x: 0,
    y: 0,
    width: 8,
    height: 4,
    label: 'Temperature',
    dataStreams: [{ title: 'Air', targetId: deviceId, pin: { pinType: 'VIRTUAL', pin: 7 }, functionType: 'AVG' }],
  });
  // Written before the page opens: only the stored history can show these.
  board = await connectBoard(server.port, token);
  for (const value of ['10', '11.5', '12']) board.send(Command.HARDWARE, ['vw', '7', value]);
  await new Promise((resolve) => setTimeout(resolve, 600)); // two flushes

  browser = await launchChromium();
  page = await browser.newPage();
  keepProblems(page, problems);
  await page.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
  await page.goto(`https://127.0.0.1:${server.tlsPort}/`, { waitUntil: 'load' });
  await signIn(page, EMAIL, PASSWORD);
  await page.waitForSelector(`#dashboard[data-active-dashboard="${dashId}"]`);
});

test.after(() => shutDown(server, browser, board, app));

/** The chart canvas's data attribute `name` once `accept` takes it. */
async function chartData(name, accept) {
  const handle = await page.waitForFunction(
    (selector, name) => document.querySelector(selector)?.dataset[name],
    { timeout: 5000 },
    CHART,
    name,
  );
  let value = await handle.jsonValue();
  const deadline = Date.now() + 5000;
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await page.$eval(CHART, (c, name) => c.dataset[name], name);
  }
  return value;
}

test('the chart shows the stored points of the last hour, then a live one', async () => {
  assert.strictEqual(await chartData('loaded', (v) => v === 'ONE_HOUR'), 'ONE_HOUR');
  assert.strictEqual(await chartData('storedPoints', (v) => v === '3'), '3', 'three stored raw points');
  assert.strictEqual(await page.$eval(CHART, (c) => c.dataset.livePoints), '0');
  assert.match(await page.$eval(CHART, (c) => c.getAttribute('aria-label')), /Air: 12$/);

  board.send(Command.HARDWARE, ['vw', '7', '13.25']);
  assert.strictEqual(await chartData('livePoints', (v) => v === '1'), '1', 'the new value is added live');
  assert.strictEqual(await page.$eval(CHART, (c) => c.dataset.storedPoints), '3');
  assert.match(await page.$eval(CHART, (c) => c.getAttribute('aria-label')), /Air: 13.25$/);
});

test('another period reads the history again at its resolution', async () => {
  await page.click('.widget--enhanced-graph button[data-period="DAY"]');
  assert.strictEqual(await chartData('loaded', (v) => v === 'DAY'), 'DAY');
  const pressed = await page.$eval('.widget--enhanced-graph button[data-period="DAY"]', (b) => b.getAttribute('aria-pressed'));
  assert.strictEqual(pressed, 'true');
  // A day is answered in minute averages: the four values fall in one or two minutes.
  const stored = Number(await chartData('storedPoints', (v) => Number(v) >= 1 && Number(v) <= 2));
  assert.ok(stored >= 1 && stored <= 2, `minute buckets: ${stored}`);
  assert.deepStrictEqual(problems, []);
});
