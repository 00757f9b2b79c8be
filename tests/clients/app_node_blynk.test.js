'use strict';
// npm `blynk` 0.1.0 (maythiwat/node-blynk, pinned in package-lock.json): a client of the legacy
// mobile-app protocol, TLS only, as an app against blynkd's TLS port; npm blynk-library 0.5.4 is
// the board (plain TCP). What the client does (read from node_modules/blynk/dist/lib):
// - new Blynk(host, port, debug); connect() is tls.connect with rejectUnauthorized: false, so the
//   server's self-signed certificate is accepted unchecked. Exports { Blynk, Command,
//   BlynkResponse }; besides login/register/getEnergy/getDevices/loadProfileGzipped/hardware it
//   has the generic sendCommand(cmd, body), used here for ACTIVATE_DASHBOARD and PING.
// - Message ids count from 0 (LOGIN goes out with id 0, and only a reply with id 0 resolves it);
//   they are never wrapped: after 65 536 commands writeUInt16BE throws.
// - Every socket 'data' event is taken as exactly one message: the header is read at offset 0,
//   the rest of the read is ignored and nothing is reassembled. A reply that shares a TCP/TLS read
//   with an earlier frame is lost (its call times out after 5 s). A reply split over reads is
//   worse: a LOAD_PROFILE_GZIPPED reply over one 16 KiB TLS record (tried: 12 widgets with 2 KB
//   random labels) makes unzipSync throw Z_BUF_ERROR inside the socket's 'data' handler, an
//   uncaught exception that ends the process (the .catch in loadProfileGzipped() only sees
//   timeouts); a split GET_DEVICES reply would make getDevices() return null (read, not tried).
// - Server pushes (HARDWARE_CONNECTED, DEVICE_OFFLINE, device writes as HARDWARE, APP_SYNC) have no
//   API: they go to the reply table by message id, and one whose id equals a pending request's id
//   resolves that request with the push's body. Nothing is removed from that table, so an id
//   of an answered request is harmless.
// - hardware() waits 250 ms: silence is success, any answer with its id (even 200) is thrown as
//   Error(BlynkResponse[code]). A write to an inactive dashboard (dropped by the server, as by the
//   Java server) therefore also looks like success. Other calls reject with the string
//   'Execution Timeout' after 5 s without an answer.
// - Bodies are written with Buffer.write(..., 'ascii') and sized by String.length: one byte per
//   UTF-16 unit, its low byte, never UTF-8. '25°C' goes out as 32 35 B0 43 (Latin-1; blynk-library,
//   which reads Latin-1 too, shows '25°C'), and '€5' arrives as '¬5'. The tests use ASCII only.
// - The client never sends PING: an idle session is closed after app.socket.idle.timeout (300 s)
//   unless the caller pings with sendCommand(Command.PING). disconnect() waits for a 'close' that
//   never comes when the socket is already closed (after() checks socket.destroyed first).
// The scenario avoids the one-message-per-read quirk by never having a server push in flight
// while a request waits: each push it causes is awaited on the client's socket first.

const test = require('node:test');
const assert = require('node:assert');
const BlynkLib = require('blynk-library');
const { Blynk, Command } = require('blynk');
const { Blynkd, once } = require('./lib/blynkd');

const server = new Blynkd({ 'storage.flush.interval.ms': '100' });
const EMAIL = 'app@example.com';
const PASSWORD = 'n0de-blynk';
const debug = process.env.BLYNK_APP_DEBUG === '1';
const clients = [];
const boards = [];
let devices; // name -> { ref: "dash-device", token } as `blynkd device list` printed them

const CMD_HARDWARE_CONNECTED = Command.HARDWARE_CONNECTED; // 4
const CMD_HARDWARE = Command.HARDWARE; // 20

function app() {
  const b = new Blynk('127.0.0.1', server.tlsPort, debug);
  clients.push(b);
  return b;
}

function board(token) {
  const connector = new BlynkLib.TcpClient({ addr: '127.0.0.1', port: server.port });
  const b = new BlynkLib.Blynk(token, { connector, heartbeat: 1000 });
  boards.push(b);
  return b;
}

function closeBoard(b) {
  clearInterval(b.timerConn);
  b.timerConn = null;
  b.disconnect(false);
}

/**
 * Resolves with { id, body } of the next frame with `command` on the app client's TLS socket.
 * The client drops unsolicited frames, so the test reads them beside it (every frame of a read).
 */
function nextFrame(client, command, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.socket.off('data', onData);
      reject(new Error(`no frame with command ${command} within ${ms} ms`));
    }, ms);
    function onData(data) {
      for (let at = 0; at + 7 <= data.length; ) {
        const cmd = data.readUInt8(at);
        const id = data.readUInt16BE(at + 1);
        const len = cmd === Command.RESPONSE ? 0 : data.readUInt32BE(at + 3);
        const body = data.subarray(at + 7, at + 7 + len).toString('utf8');
        at += 7 + len;
        if (cmd === command) {
          clearTimeout(timer);
          client.socket.off('data', onData);
          resolve({ id, body });
          return;
        }
      }
    }
    client.socket.on('data', onData);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test.before(async () => {
  server.provision(EMAIL, 'Lamp', { password: PASSWORD });
  server.provision(EMAIL, 'Spare');
  // USER  DEVICE  NAME  BOARD  TOKEN  STATUS: the ids and tokens the CLI reports.
  devices = {};
  for (const line of server.cli('device', 'list', EMAIL).split('\n').slice(1)) {
    const [, ref, name, , token] = line.trim().split(/\s{2,}/);
    devices[name] = { ref, token };
  }
  assert.deepStrictEqual(Object.keys(devices).sort(), ['Lamp', 'Spare']);
  await server.start();
});

test.after(async () => {
  for (const b of boards) closeBoard(b);
  for (const c of clients) if (c.socket && !c.socket.destroyed) await c.disconnect();
  try {
    await server.stop();
  } finally {
    server.cleanup();
  }
});

let a; // the logged-in app client, shared by the tests below in order

test('logs in over TLS with the app hash (200); a wrong password gets 5', async () => {
  a = app();
  await a.connect();
  assert.strictEqual(a.socket.encrypted, true);
  assert.strictEqual(await a.login(EMAIL, PASSWORD), 200);
  await server.waitForLog(new RegExp(`login ok: app tls .*user=${EMAIL}`));

  const wrong = app();
  await wrong.connect();
  assert.strictEqual(await wrong.login(EMAIL, 'not-the-password'), 5);
  await wrong.disconnect();
});

test("loadProfileGzipped returns the CLI's dashboard 1 with its devices", async () => {
  const profile = await a.loadProfileGzipped();
  assert.ok(profile, 'loadProfileGzipped returned null (the reply did not inflate)');
  assert.strictEqual(profile.dashBoards.length, 1);
  const dash = profile.dashBoards[0];
  assert.strictEqual(dash.id, 1);
  const listed = dash.devices.map((d) => ({
    name: d.name,
    ref: `${dash.id}-${d.id}`,
    token: d.token,
    status: d.status,
  }));
  assert.deepStrictEqual(listed, [
    { name: 'Lamp', ...devices.Lamp, status: 'OFFLINE' },
    { name: 'Spare', ...devices.Spare, status: 'OFFLINE' },
  ]);

  const viaGetDevices = await a.getDevices('1');
  assert.deepStrictEqual(
    viaGetDevices.map((d) => [d.id, d.name, d.token]),
    dash.devices.map((d) => [d.id, d.name, d.token]),
  );
  assert.strictEqual(await a.getEnergy(), '1000000');
  assert.strictEqual(await a.sendCommand(Command.PING), 200);
});

let lamp;
let lampWrites;

test('the board logs in with the CLI token; the app hears HARDWARE_CONNECTED', async () => {
  const connected = nextFrame(a, CMD_HARDWARE_CONNECTED);
  lamp = board(devices.Lamp.token);
  lampWrites = [];
  new lamp.VirtualPin(5).on('write', (param) => lampWrites.push(param));
  await once(lamp, 'connect');
  const { body } = await connected;
  assert.strictEqual(body, devices.Lamp.ref);
});

test('writes flow only once dashboard 1 is active: V5 = "42" arrives at the board', async () => {
  // Silence for 250 ms is all hardware() checks: the server drops the write without an answer.
  await a.hardware(devices.Lamp.ref, 'vw', '5', 'dropped');
  await sleep(300);
  assert.deepStrictEqual(lampWrites, []);

  // No activate call in the client: its generic sendCommand sends ACTIVATE_DASHBOARD "1".
  assert.strictEqual(await a.sendCommand(Command.ACTIVATE_DASHBOARD, '1'), 200);

  const [dashDevice, op, pin, value] = ['1-0', 'vw', '5', '42'];
  assert.strictEqual(dashDevice, devices.Lamp.ref);
  await a.hardware(dashDevice, op, pin, value); // resolves: no answer within 250 ms
  const deadline = Date.now() + 3000;
  while (lampWrites.length === 0 && Date.now() < deadline) await sleep(20);
  assert.deepStrictEqual(lampWrites, [['42']]);
});

test("a board write reaches the app's socket (the client has no API for it)", async () => {
  const pushed = nextFrame(a, CMD_HARDWARE);
  lamp.virtualWrite(6, 'from the board');
  const { body } = await pushed;
  assert.strictEqual(body, `${devices.Lamp.ref}\0vw\x006\0from the board`);
  // The client's handler took the push without harm: the session still answers.
  assert.strictEqual(await a.sendCommand(Command.PING), 200);
});

test('hardware() to an offline device: the server answers 7 and the client throws', async () => {
  await assert.rejects(a.hardware(devices.Spare.ref, 'vw', '5', '1'), {
    message: 'DEVICE_NOT_IN_NETWORK',
  });
  // A device ref the user does not have: 2 (ILLEGAL_COMMAND).
  await assert.rejects(a.hardware('1-99', 'vw', '5', '1'), { message: 'ILLEGAL_COMMAND' });
});
