'use strict';
// Editing in the web console, as a new user would do it, on a phone-size screen: an account
// with nothing in it, sign in, create a dashboard, add a device and read its token from the
// page, connect a board with it, add a Button on D13 and a Value Display on V5, move them, and
// check that the board and the page talk, that the layout survives a reload, and that the app
// would get the same dashboard. Then the rest of the editor: settings, token refresh, a refused
// change, deleting widgets, devices and the dashboard.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Blynkd } = require('../clients/lib/blynkd');
const { appHash, Command, connectApp, connectBoard } = require('./lib/blynk_wire');
const { launchChromium, signIn, shutDown } = require('./lib/chromium');

const SCREENSHOTS = process.env.SCREENSHOT_DIR || path.join(os.tmpdir(), 'blynkd-console-screenshots');
const EMAIL = 'new.user@example.com';
const PASSWORD = 'a long enough password';
const PHONE = { width: 360, height: 740, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const DELETE_WIDGET = 35;

const server = new Blynkd({ 'storage.flush.interval.ms': '100' });
let consoleUrl;
let browser;
let page;
let board;
let app;
let dashId;
let deviceId;
let token;
let buttonId;
let displayId;
const problems = [];

test.before(async () => {
  // Only the account: no dashboard, no device.
  server.cli('user', 'add', EMAIL, '--password', PASSWORD);
  await server.start();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleUrl = `https://127.0.0.1:${server.tlsPort}/`;
  browser = await launchChromium();
  await browser.defaultBrowserContext().overridePermissions(consoleUrl.slice(0, -1), [
    'clipboard-read',
    'clipboard-write',
    'clipboard-sanitized-write',
  ]);
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  await page.evaluateOnNewDocument(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.setViewport(PHONE);
});

test.after(() => shutDown(server, browser, board, app));

/** Sets a form control's value the way typing would (input and change events). */
async function fill(selector, value) {
  await page.waitForSelector(selector);
  await page.$eval(
    selector,
    (node, value) => {
      node.value = value;
      node.dispatchEvent(new Event('input', { bubbles: true }));
      node.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
}

/** The grid place of a widget as drawn: [column start, column span, row start, row span]. */
function placeOf(id, tab = page) {
  return tab.$eval(`.widget[data-widget-id="${id}"]`, (node) => {
    const [column, columnSpan] = node.style.gridColumn.split(' / span ').map(Number);
    const [row, rowSpan] = node.style.gridRow.split(' / span ').map(Number);
    return { x: column - 1, y: row - 1, width: columnSpan, height: rowSpan };
  });
}

async function waitForPlace(id, expected) {
  await page.waitForSelector('body:not([data-saving])');
  await page.waitForFunction(
    (id, x, y) => {
      const node = document.querySelector(`.widget[data-widget-id="${id}"]`);
      return node?.style.gridColumn.startsWith(`${x + 1} /`) && node.style.gridRow.startsWith(`${y + 1} /`);
    },
    { timeout: 5000 },
    id,
    expected.x,
    expected.y,
  );
  assert.deepStrictEqual(await placeOf(id), expected);
}

/** Adds a widget through the palette and the settings form. */
async function addWidget(type, { label, pinType, pin }) {
  const before = await page.$$eval('.widget', (nodes) => nodes.map((n) => n.dataset.widgetId));
  await page.click('#add-widget');
  await page.waitForSelector(`.palette__item[data-type="${type}"]`);
  await page.click(`.palette__item[data-type="${type}"]`);
  await page.waitForSelector(`form.widget-form[data-type="${type}"]`);
  await fill('.widget-form input[name="label"]', label);
  await page.select('.widget-form select[name="pinType"]', pinType);
  await fill('.widget-form input[name="pin"]', String(pin));
  await page.click('.widget-form__save');
  await page.waitForSelector('dialog.widget-sheet', { hidden: true });
  const after = await page.$$eval('.widget', (nodes) => nodes.map((n) => n.dataset.widgetId));
  const added = after.filter((id) => !before.includes(id));
  assert.strictEqual(added.length, 1, `one new widget on the page (${after})`);
  return Number(added[0]);
}

test('a new user signs in to an empty account and is offered to create a dashboard', async () => {
  await page.goto(consoleUrl, { waitUntil: 'load' });
  await signIn(page, EMAIL, PASSWORD);
  await page.waitForSelector('#editor-bar:not([hidden]) #new-dashboard:not([hidden])');
  assert.match(await page.$eval('#dashboard', (e) => e.textContent), /No dashboards yet/);
  assert.strictEqual(await page.$eval('#edit-toggle', (e) => e.hidden), true);
});

test('creates a dashboard', async () => {
  await page.click('#new-dashboard');
  await fill('dialog.dashboard-form input[name="name"]', 'Greenhouse');
  await page.click('.dashboard-form__create');
  await page.waitForSelector('#dashboard[data-active-dashboard]');
  dashId = Number(await page.$eval('#dashboard', (e) => e.dataset.activeDashboard));
  assert.ok(Number.isInteger(dashId) && dashId > 0);
  assert.strictEqual(await page.title(), 'Greenhouse · blynkd');
  assert.match(await page.$eval('#dashboard', (e) => e.textContent), /no widgets yet/);
  await page.click('#edit-toggle');
  await page.waitForSelector('#edit-toggle[aria-pressed="true"]');
  await page.waitForSelector('#add-widget:not([hidden])');
});

test('adds a device; the page shows its token, a copy button and a sketch for this server', async () => {
  await page.click('#devices-button');
  await fill('.devices-sheet input[name="name"]', 'Pump controller');
  await page.select('.devices-sheet select[name="boardType"]', 'NodeMCU');
  await page.click('.devices-sheet__create');
  await page.waitForSelector('dialog.token-sheet .token__value');
  token = await page.$eval('.token__value', (e) => e.textContent);
  assert.match(token, /^[A-Za-z0-9_-]{32}$/, 'a 32-character token');
  const sketch = await page.$eval('.snippet__value', (e) => e.textContent);
  assert.ok(sketch.includes(`char auth[] = "${token}";`), sketch);
  // The server writes its real plain port (here an ephemeral one) into the page.
  assert.ok(sketch.includes(`Blynk.begin(auth, ssid, pass, "127.0.0.1", ${server.port});`), sketch);
  assert.ok(sketch.includes('#include <BlynkSimpleEsp8266.h>'), sketch);
  assert.match(await page.$eval('.token-sheet .hint', (e) => e.textContent), new RegExp(`port ${server.port} \\(plain TCP\\)`));

  await page.click('.token__copy');
  await page.waitForFunction(() => document.querySelector('.token .copyable__status')?.textContent !== '');
  const status = await page.$eval('.token .copyable__status', (e) => e.textContent);
  if (status === 'Copied.') {
    assert.strictEqual(await page.evaluate(() => navigator.clipboard.readText()), token);
  } else {
    assert.match(status, /Selected/);
    assert.strictEqual(await page.evaluate(() => String(window.getSelection())), token);
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-device-token.png') });
  await page.click('dialog.token-sheet .sheet__cancel');
  await page.waitForSelector('dialog.token-sheet', { hidden: true });

  deviceId = Number(await page.$eval('.device', (e) => e.dataset.deviceId));
  assert.strictEqual(await page.$eval('.device', (e) => e.textContent), 'Pump controller');
  // A board logs in with the token read from the page; the page sees it come online.
  board = await connectBoard(server.port, token);
  await page.waitForSelector(`.device[data-device-id="${deviceId}"].is-online`);
});

test('adds a Button on D13 and a Value Display on V5 through the palette and the form', async () => {
  buttonId = await addWidget('BUTTON', { label: 'Lamp', pinType: 'DIGITAL', pin: 13 });
  displayId = await addWidget('DIGIT4_DISPLAY', { label: 'Temperature', pinType: 'VIRTUAL', pin: 5 });
  assert.deepStrictEqual(await placeOf(buttonId), { x: 0, y: 0, width: 2, height: 2 });
  assert.deepStrictEqual(await placeOf(displayId), { x: 2, y: 0, width: 2, height: 1 });
  // In edit mode a tap selects the widget instead of writing to the board.
  assert.strictEqual(await page.$eval('#widget-tools', (e) => e.hidden), false);
});

test('moves widgets with the arrow buttons and by dragging a grip with a finger', async () => {
  await page.tap(`.edit-overlay[data-widget-id="${displayId}"] .edit-overlay__select`);
  await page.waitForSelector(`#widget-tools[data-widget-id="${displayId}"]:not([hidden])`);
  for (const action of ['down', 'down', 'left', 'left']) await page.tap(`#widget-tools [data-action="${action}"]`);
  await waitForPlace(displayId, { x: 0, y: 2, width: 2, height: 1 });
  // Wider by one: it takes three cells.
  await page.tap('#widget-tools [data-action="wider"]');
  await page.waitForFunction((id) => document.querySelector(`.widget[data-widget-id="${id}"]`)?.style.gridColumn === '1 / span 3', {}, displayId);

  // The button's move grip, dragged two cells to the right by touch.
  const grip = await page.$(`.edit-overlay[data-widget-id="${buttonId}"] .edit-grip--move`);
  const box = await grip.boundingBox();
  const pitch = await page.$eval('.grid', (g) => (g.getBoundingClientRect().width + parseFloat(getComputedStyle(g).columnGap)) / 8);
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.touchscreen.touchStart(start.x, start.y);
  for (let step = 1; step <= 8; step++) await page.touchscreen.touchMove(start.x + (2 * pitch * step) / 8, start.y + 2);
  await page.touchscreen.touchEnd();
  await waitForPlace(buttonId, { x: 2, y: 0, width: 2, height: 2 });

  // A move onto another widget is refused by the page, with a reason.
  // Chromium takes a tap right after a touch gesture for part of it (no click); a person's
  // next tap comes later than the test's.
  await new Promise((r) => setTimeout(r, 600));
  await page.tap(`.edit-overlay[data-widget-id="${displayId}"] .edit-overlay__select`);
  await page.waitForSelector(`#widget-tools[data-widget-id="${displayId}"]:not([hidden])`);
  await page.tap('#widget-tools [data-action="up"]');
  await page.waitForFunction(() => /Another widget is there/.test(document.querySelector('#notice').textContent));
  assert.deepStrictEqual(await placeOf(displayId), { x: 0, y: 2, width: 3, height: 1 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-editor.png'), fullPage: true });
});

test("leaving edit mode, a board's V5 write shows and a tap on the button reaches the board as dw 13 1", async () => {
  await page.click('#edit-toggle');
  await page.waitForSelector('#edit-toggle[aria-pressed="false"]');
  await page.waitForSelector('#widget-tools', { hidden: true });
  board.send(Command.HARDWARE, ['vw', '5', '23.5']);
  await page.waitForFunction((id) => document.querySelector(`.widget[data-widget-id="${id}"] .value`)?.textContent === '23.5', {}, displayId);
  const received = board.next((f) => f.command === Command.HARDWARE && f.body.toString() === 'dw\u000013\u00001');
  await page.tap(`.widget[data-widget-id="${buttonId}"] .toggle`);
  await received;
  await page.waitForFunction((id) => document.querySelector(`.widget[data-widget-id="${id}"] .toggle`)?.textContent === 'ON', {}, buttonId);
});

test('after a reload the layout is as moved, and the value is back', async () => {
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector(`#dashboard[data-active-dashboard="${dashId}"]`);
  assert.deepStrictEqual(await placeOf(buttonId), { x: 2, y: 0, width: 2, height: 2 });
  assert.deepStrictEqual(await placeOf(displayId), { x: 0, y: 2, width: 3, height: 1 });
  await page.waitForFunction((id) => document.querySelector(`.widget[data-widget-id="${id}"] .value`)?.textContent === '23.5', {}, displayId);
});

test('the app would get the same dashboard: widgets with the right type, pin and place', async () => {
  app = await connectApp(server.port, EMAIL, appHash(EMAIL, PASSWORD));
  const profile = await app.loadProfile();
  assert.strictEqual(profile.dashBoards.length, 1);
  const dash = profile.dashBoards[0];
  assert.strictEqual(dash.id, dashId);
  assert.strictEqual(dash.name, 'Greenhouse');
  assert.deepStrictEqual(
    dash.devices.map((d) => [d.id, d.name, d.boardType, d.token]),
    [[deviceId, 'Pump controller', 'NodeMCU', token]],
  );
  const pick = (w) => ({ type: w.type, deviceId: w.deviceId, pinType: w.pinType, pin: w.pin, x: w.x, y: w.y, width: w.width, height: w.height, label: w.label });
  const byId = new Map(dash.widgets.map((w) => [w.id, w]));
  assert.deepStrictEqual(pick(byId.get(buttonId)), {
    type: 'BUTTON', deviceId, pinType: 'DIGITAL', pin: 13, x: 2, y: 0, width: 2, height: 2, label: 'Lamp',
  });
  assert.deepStrictEqual(pick(byId.get(displayId)), {
    type: 'DIGIT4_DISPLAY', deviceId, pinType: 'VIRTUAL', pin: 5, x: 0, y: 2, width: 3, height: 1, label: 'Temperature',
  });
  const button = byId.get(buttonId);
  assert.strictEqual(button.pushMode, false);
  assert.strictEqual(button.min, 0);
  assert.strictEqual(button.max, 1);
  assert.strictEqual(button.color, 0x23c48eff | 0);
  assert.strictEqual(byId.get(displayId).value, '23.5', 'the stored value');
});

test('the settings form changes label, mode and labels; fields it does not know stay', async () => {
  // A field only the app knows, set behind the page's back, must survive the page's save.
  const stored = (await app.loadProfile()).dashBoards[0].widgets.find((w) => w.id === buttonId);
  const updated = await app.request(34, [String(dashId), JSON.stringify({ ...stored, fontSize: 'LARGE' })]);
  assert.strictEqual(updated.status, 200);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector(`#dashboard[data-active-dashboard="${dashId}"]`);
  await page.click('#edit-toggle');
  await page.tap(`.edit-overlay[data-widget-id="${buttonId}"] .edit-overlay__select`);
  await page.tap('#widget-tools [data-action="settings"]');
  await page.waitForSelector('form.widget-form[data-type="BUTTON"]');
  assert.strictEqual(await page.$eval('.widget-form select[name="pinType"]', (e) => e.value), 'DIGITAL');
  assert.strictEqual(await page.$eval('.widget-form input[name="pin"]', (e) => e.value), '13');
  await fill('.widget-form input[name="label"]', 'Pump');
  await page.select('.widget-form select[name="mode"]', 'push');
  await fill('.widget-form input[name="onLabel"]', 'RUN');
  await fill('.widget-form input[name="offLabel"]', 'STOP');
  await fill('.widget-form input[name="color"]', '#d3435c');
  await page.click('.widget-form__save');
  await page.waitForSelector('dialog.widget-sheet', { hidden: true });
  await page.waitForFunction(
    (id) => document.querySelector(`.widget[data-widget-id="${id}"] .widget__label`)?.textContent === 'Pump',
    {},
    buttonId,
  );
  const widget = (await app.loadProfile()).dashBoards[0].widgets.find((w) => w.id === buttonId);
  assert.strictEqual(widget.label, 'Pump');
  assert.strictEqual(widget.pushMode, true);
  assert.strictEqual(widget.onLabel, 'RUN');
  assert.strictEqual(widget.offLabel, 'STOP');
  assert.strictEqual(widget.color, (0xd3435cff | 0));
  assert.strictEqual(widget.fontSize, 'LARGE', 'a field the console does not edit is kept');
  assert.deepStrictEqual([widget.pinType, widget.pin, widget.x, widget.y], ['DIGITAL', 13, 2, 0]);
});

test('a change the server refuses shows why, and the page shows what the server has', async () => {
  // The app deletes the display; the page still shows it and tries to move it.
  const deleted = await app.request(DELETE_WIDGET, [String(dashId), String(displayId)]);
  assert.strictEqual(deleted.status, 200);
  await page.tap(`.edit-overlay[data-widget-id="${displayId}"] .edit-overlay__select`);
  await page.tap('#widget-tools [data-action="right"]');
  await page.waitForFunction(() => /The server refused the change: the server refused the command/.test(document.querySelector('#notice').textContent));
  await page.waitForSelector(`.widget[data-widget-id="${displayId}"]`, { hidden: true });
  assert.ok(await page.$(`.widget[data-widget-id="${buttonId}"]`));
});

test('refreshing the token disconnects the board on the old one; the new one logs in', async () => {
  const closed = new Promise((resolve) => board.socket.once('close', resolve));
  await page.click('#devices-button');
  await page.waitForSelector(`.device-list__row[data-device-id="${deviceId}"] .device-list__token`);
  await page.click(`.device-list__row[data-device-id="${deviceId}"] .device-list__token`);
  await page.waitForSelector('dialog.token-sheet .token-sheet__refresh');
  await page.click('.token-sheet__refresh');
  await page.waitForSelector('dialog.confirm .confirm__yes');
  await page.click('dialog.confirm .confirm__yes');
  await page.waitForFunction((old) => {
    const value = document.querySelector('.token__value')?.textContent;
    return value && value !== old;
  }, {}, token);
  const fresh = await page.$eval('.token__value', (e) => e.textContent);
  assert.match(fresh, /^[A-Za-z0-9_-]{32}$/);
  assert.ok((await page.$eval('.snippet__value', (e) => e.textContent)).includes(fresh));
  await closed;
  board = await connectBoard(server.port, fresh);
  token = fresh;
  await page.click('dialog.token-sheet .sheet__cancel');
  await page.waitForSelector(`.device[data-device-id="${deviceId}"].is-online`);
});

test('renames the dashboard, deletes the widget, the device and the dashboard', async () => {
  await page.click('#dashboard-menu-button');
  await page.click('.dashboard-menu [data-action="rename"]');
  await fill('dialog.dashboard-form input[name="name"]', 'Glasshouse');
  await page.click('.dashboard-form__rename');
  await page.waitForFunction(() => document.title === 'Glasshouse · blynkd');

  await page.tap(`.edit-overlay[data-widget-id="${buttonId}"] .edit-overlay__select`);
  await page.tap('#widget-tools [data-action="delete"]');
  await page.click('dialog.confirm .confirm__yes');
  await page.waitForSelector(`.widget[data-widget-id="${buttonId}"]`, { hidden: true });

  const closed = new Promise((resolve) => board.socket.once('close', resolve));
  await page.click('#devices-button');
  await page.click(`.device-list__row[data-device-id="${deviceId}"] .device-list__delete`);
  await page.click('dialog.confirm .confirm__yes');
  await page.waitForSelector(`.device[data-device-id="${deviceId}"]`, { hidden: true });
  await closed;

  let dash = (await app.loadProfile()).dashBoards[0];
  assert.strictEqual(dash.name, 'Glasshouse');
  assert.deepStrictEqual(dash.widgets, []);
  assert.deepStrictEqual(dash.devices, []);

  await page.click('#dashboard-menu-button');
  await page.click('.dashboard-menu [data-action="delete"]');
  await page.waitForSelector('dialog.confirm .confirm__yes');
  assert.match(await page.$eval('dialog.confirm', (e) => e.textContent), /Glasshouse/);
  await page.click('dialog.confirm .confirm__yes');
  await page.waitForSelector('#editor-bar:not([hidden]) #new-dashboard:not([hidden])');
  dash = (await app.loadProfile()).dashBoards;
  assert.deepStrictEqual(dash, []);
});

test('every family of the palette is created, drawn by its own view, and stored as the app reads it', async () => {
  await page.click('#new-dashboard');
  await fill('dialog.dashboard-form input[name="name"]', 'Every widget');
  await page.click('.dashboard-form__create');
  await page.waitForFunction(() => document.title === 'Every widget · blynkd');
  await page.click('#edit-toggle');
  const types = [];
  await page.click('#add-widget');
  for (const type of await page.$$eval('.palette__item', (items) => items.map((i) => i.dataset.type))) types.push(type);
  await page.click('dialog.palette .sheet__cancel');
  await page.waitForSelector('dialog.palette', { hidden: true });
  for (const type of types) {
    await page.click('#add-widget');
    await page.click(`.palette__item[data-type="${type}"]`);
    await page.waitForSelector(`form.widget-form[data-type="${type}"]`);
    await page.click('.widget-form__save');
    await page.waitForSelector('dialog.widget-sheet', { hidden: true });
  }
  assert.strictEqual(await page.$$eval('.grid .widget', (nodes) => nodes.length), types.length);
  assert.strictEqual(await page.$('.widget--placeholder'), null, 'no family falls back to the placeholder');

  // The chart's resize grip, dragged one cell down with a mouse: one row taller.
  const chart = await page.$eval('.widget--enhanced-graph', (e) => Number(e.dataset.widgetId));
  const before = await placeOf(chart);
  const grip = await page.$(`.edit-overlay[data-widget-id="${chart}"] .edit-grip--resize`);
  await grip.scrollIntoView();
  const box = await grip.boundingBox();
  const pitch = await page.$eval('.grid', (g) => (g.getBoundingClientRect().width + parseFloat(getComputedStyle(g).columnGap)) / 8);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + pitch, { steps: 6 });
  await page.mouse.up();
  await page.waitForSelector('body:not([data-saving])');
  await waitForPlace(chart, { ...before, height: before.height + 1 });
  await page.click('#edit-toggle');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-every-widget.png'), fullPage: true });

  const dash = (await app.loadProfile()).dashBoards.find((d) => d.name === 'Every widget');
  assert.deepStrictEqual(dash.widgets.map((w) => w.type), types);
  const cells = new Set();
  for (const w of dash.widgets) {
    assert.ok(w.x >= 0 && w.x + w.width <= 8, `${w.type} inside the 8 columns`);
    for (let x = w.x; x < w.x + w.width; x++) {
      for (let y = w.y; y < w.y + w.height; y++) {
        assert.ok(!cells.has(`${x},${y}`), `${w.type} overlaps another widget at ${x},${y}`);
        cells.add(`${x},${y}`);
      }
    }
    if (w.type === 'ENHANCED_GRAPH') {
      assert.deepStrictEqual([w.dataStreams[0].pin.pinType, typeof w.dataStreams[0].pin.pin], ['VIRTUAL', 'number']);
    } else if (w.type === 'NOTIFICATION') {
      // No pin: its channels, console pages on by default.
      assert.deepStrictEqual([w.pin, w.webConsole], [undefined, true]);
    } else if (['RGB', 'TWO_AXIS_JOYSTICK', 'LCD'].includes(w.type)) {
      assert.ok(w.pins.every((p) => p.pinType === 'VIRTUAL' && p.pin >= 0), w.type);
    } else {
      assert.deepStrictEqual([w.pinType, typeof w.pin], ['VIRTUAL', 'number'], w.type);
    }
  }
  assert.ok(types.length >= 23, `${types.length} families`);
  assert.strictEqual(dash.widgets.find((w) => w.id === chart).height, before.height + 1);
});

test('no console errors, page errors or CSP violations', async () => {
  assert.deepStrictEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepStrictEqual(problems, []);
});
