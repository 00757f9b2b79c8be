'use strict';
// node-red-contrib-blynk-ws 1.0.10 (pinned in package-lock.json), the Blynk nodes for Node-RED, as a
// hardware client over ws://…/websockets (http.port) and wss://…/websockets (https.port). Its own
// config node and flow nodes run unchanged inside the minimal Node-RED stand-in of lib/node_red.js.
// The client logs every frame (its dbg_low option): `SEND -> Cmd: PING, Id: 7, …` and
// `RECV <- Cmd: RSP, Id: 7, responseCode: OK`; the tests read the protocol from those lines.
// For wss the client sets rejectUnauthorized: false, so blynkd's self-signed certificate is fine.

const test = require('node:test');
const assert = require('node:assert');
const BlynkLib = require('blynk-library');
const { Blynkd, once } = require('./lib/blynkd');
const { NodeRedRuntime } = require('./lib/node_red');

// hard.socket.idle.timeout=1: 3 s read-idle until the client's info message announces h-beat 15,
// which moves the server's timeout to ceil(15 × 2.3) = 35 s. The client pings after 15 s without
// sending; the heartbeat scenario waits past the 35 s mark, so it only passes if the server honours
// h-beat AND its idle timer is reset by those pings.
const server = new Blynkd({ 'hard.socket.idle.timeout': '1', 'storage.flush.interval.ms': '100' });
const EMAIL = 'nodered@example.com';
const HEARTBEAT_WINDOW_MS = 38000;
const tokens = {};
const runtimes = [];
const boards = [];

const transports = {
  ws: () => `ws://127.0.0.1:${server.port}/websockets`,
  wss: () => `wss://127.0.0.1:${server.tlsPort}/websockets`,
};
const deviceNames = (t) => [`NR ${t} A`, `NR ${t} B`, `NR ${t} heartbeat`];

/** A fresh flow: a Node-RED runtime whose nodes are closed in test.after at the latest. */
function flow() {
  const rt = new NodeRedRuntime();
  runtimes.push(rt);
  return rt;
}

/** The blynk-ws-client config node as the editor saves it, logging its frames. */
function client(rt, t, name, extra = {}) {
  return rt.add('blynk-ws-client', {
    name, path: transports[t](), key: tokens[name], dbg_low: true, ...extra,
  });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The msgId of the first frame the client logged as sent that matches `what` (e.g. "PING"). */
async function sentId(rt, node, what) {
  const line = await rt.waitForLog(node, new RegExp(`^SEND -> Cmd: ${what}, Id: \\d+`));
  return Number(/Id: (\d+)/.exec(line.msg)[1]);
}

/** Resolves with the status name the server answered `msgId` with (e.g. "OK"). */
async function answer(rt, node, msgId) {
  const line = await rt.waitForLog(node, new RegExp(`^RECV <- Cmd: RSP, Id: ${msgId}, `));
  return /responseCode: (\S+)/.exec(line.msg)[1];
}

test.before(async () => {
  for (const t of Object.keys(transports)) {
    for (const name of deviceNames(t)) tokens[name] = server.provision(EMAIL, name);
  }
  tokens['JS board'] = server.provision(EMAIL, 'JS board');
  await server.start();
});

test.after(async () => {
  for (const rt of runtimes) await rt.close();
  for (const b of boards) {
    clearInterval(b.timerConn);
    b.disconnect(false);
  }
  try {
    await server.stop();
  } finally {
    server.cleanup();
  }
});

for (const t of Object.keys(transports)) {
  const [A, B] = deviceNames(t);

  test(`${t}: logs in, its info message is acknowledged, the server sees it`, async () => {
    const rt = flow();
    const c = client(rt, t, A);
    await rt.waitConnected(c);
    assert.strictEqual(c.logged, true);
    // Login (msgId 1) was answered OK, then the client sent its info (ver 0.6.1, h-beat 15, …).
    assert.strictEqual(await answer(rt, c, 1), 'OK');
    assert.strictEqual(await answer(rt, c, await sentId(rt, c, 'INTERNAL')), 'OK');
    await server.waitForLog(new RegExp(`login ok: hardware ${t} [^\\n]*'${A}'`));
    await rt.close();
  });

  test(`${t}: write nodes store values, sync nodes bring them back as write events`, async () => {
    const rt = flow();
    const c = client(rt, t, A);
    const inV1 = rt.add('blynk-ws-in-write', { client: c.id, pin: '1' });
    const inAll = rt.add('blynk-ws-in-write', { client: c.id, pin_all: 1 });
    const outV1 = rt.add('blynk-ws-out-write', { client: c.id, pin: '1', pinmode: 0 });
    const outAny = rt.add('blynk-ws-out-write', { client: c.id, pin: '', pinmode: 1 });
    const syncV1 = rt.add('blynk-ws-out-sync', { client: c.id, pin: '1', pinmode: 0 });
    const syncAll = rt.add('blynk-ws-out-sync', { client: c.id, pin: '', pinmode: 1 });
    await rt.waitConnected(c);

    const text = `hello from node-red over ${t}`;
    rt.inject(outV1, { payload: text });
    rt.inject(outAny, { payload: [1.5, 'x', 'y'], pin: 2 });
    rt.inject(syncV1, { payload: true });
    assert.deepStrictEqual(await rt.nextOutput(inV1),
      { payload: text, pin: '1', arrayOfValues: [text] });

    // ws compresses messages of 1 KiB and more (permessage-deflate is negotiated with blynkd).
    const big = `${t}:`.padEnd(1500, 'z');
    rt.inject(outAny, { payload: big, pin: 3 });

    // Sync all: every stored pin comes back, multi-value ones whole.
    rt.inject(syncAll, { payload: true });
    assert.strictEqual((await rt.nextOutput(inAll, { filter: (m) => m.pin === '3' })).payload, big);
    assert.deepStrictEqual(await rt.nextOutput(inAll, { filter: (m) => m.pin === '2' }),
      { payload: '1.5', pin: '2', arrayOfValues: ['1.5', 'x', 'y'] });
    assert.deepStrictEqual(await rt.nextOutput(inV1),
      { payload: text, pin: '1', arrayOfValues: [text] });
    assert.deepStrictEqual(rt.logs(c).filter((l) => l.level !== 'info'), [], rt.transcript(c));
    await rt.close();
  });

  test(`${t}: a bridge node of another node-red device writes to this one`, async () => {
    const rt = flow();
    const a = client(rt, t, A);
    const inV5 = rt.add('blynk-ws-in-write', { client: a.id, pin: '5' });
    const syncV5 = rt.add('blynk-ws-out-sync', { client: a.id, pin: '5', pinmode: 0 });
    const b = client(rt, t, B);
    // The bridge node sends its init (`10 i <token of A>`) itself on the client's 'connected'.
    const bridge = rt.add('blynk-ws-out-bridge', {
      client: b.id, key: tokens[A], bpin: '10', pin: '5', pinmode: 0, pintype: 'vw',
    });
    await Promise.all([rt.waitConnected(a), rt.waitConnected(b)]);
    assert.strictEqual(await answer(rt, b, await sentId(rt, b, 'BRIDGE')), 'OK');

    const text = `bridged over ${t}`;
    rt.inject(bridge, { payload: text });
    assert.deepStrictEqual(await rt.nextOutput(inV5),
      { payload: text, pin: '5', arrayOfValues: [text] });
    await rt.waitForLog(a, new RegExp(`^RECV <- Cmd: (BRIDGE|HW), Id: \\d+, len: \\d+, data: "vw\\|5\\|${escape(text)}"`));
    // Stored as A's own value.
    rt.inject(syncV5, { payload: true });
    assert.deepStrictEqual(await rt.nextOutput(inV5),
      { payload: text, pin: '5', arrayOfValues: [text] });
    for (const node of [a, b]) {
      assert.deepStrictEqual(rt.logs(node).filter((l) => l.level !== 'info'), [], rt.transcript(node));
    }
    await rt.close();
  });

  test(`${t}: a bridge write from a blynk-library board (plain TCP) arrives`, async () => {
    const rt = flow();
    const a = client(rt, t, A);
    const inV6 = rt.add('blynk-ws-in-write', { client: a.id, pin: '6' });
    await rt.waitConnected(a);

    const board = new BlynkLib.Blynk(tokens['JS board'], {
      connector: new BlynkLib.TcpClient({ addr: '127.0.0.1', port: server.port }),
      heartbeat: 1000,
    });
    boards.push(board);
    await once(board, 'connect');
    const bridge = new board.WidgetBridge(11);
    bridge.setAuthToken(tokens[A]);
    bridge.virtualWrite(6, [`js ${t}`, 'second']);
    assert.deepStrictEqual(await rt.nextOutput(inV6),
      { payload: `js ${t}`, pin: '6', arrayOfValues: [`js ${t}`, 'second'] });
    clearInterval(board.timerConn);
    board.disconnect(false);
    await rt.close();
  });

  test(`${t}: an unknown token is refused and the client says so`, async () => {
    const rt = flow();
    const c = rt.add('blynk-ws-client', { path: transports[t](), key: 'x'.repeat(32), dbg_low: true });
    await rt.waitForLog(c, /^Invalid auth token/);
    assert.strictEqual(c.logged, false);
    await server.waitForLog(new RegExp(`login rejected: unknown token xxxx…\\(32\\) \\(hardware ${t} `));
    await rt.close();
  });
}

test('ws and wss: the heartbeat keeps the client online past the server idle timeout', async () => {
  // Both transports at once, so the long wait is paid only once.
  const since = server.log.length;
  const runs = Object.keys(transports).map(async (t) => {
    const name = deviceNames(t)[2];
    const rt = flow();
    const c = client(rt, t, name);
    const inV7 = rt.add('blynk-ws-in-write', { client: c.id, pin: '7' });
    const outV7 = rt.add('blynk-ws-out-write', { client: c.id, pin: '7', pinmode: 0 });
    const syncV7 = rt.add('blynk-ws-out-sync', { client: c.id, pin: '7', pinmode: 0 });
    await rt.waitConnected(c);
    await new Promise((r) => setTimeout(r, HEARTBEAT_WINDOW_MS));

    const lines = rt.logs(c).map((l) => l.msg);
    const pings = lines.filter((m) => /^SEND -> Cmd: PING, /.test(m))
      .map((m) => Number(/Id: (\d+)/.exec(m)[1]));
    assert.ok(pings.length >= 2, `${t}: expected a ping every 15 s:\n${rt.transcript(c)}`);
    for (const id of pings) assert.strictEqual(await answer(rt, c, id), 'OK', `${t}: ping ${id}`);
    assert.strictEqual(lines.filter((m) => /^Websocket closed/.test(m)).length, 0,
      `${t}: disconnected:\n${rt.transcript(c)}\n${server.log}`);
    assert.strictEqual(lines.filter((m) => m === 'Client logged').length, 1, rt.transcript(c));
    assert.strictEqual(c.logged, true);
    assert.doesNotMatch(server.log.slice(since), new RegExp(`disconnect: hardware ${t} [^\\n]*'${name}'`));

    // And the connection still carries traffic.
    rt.inject(outV7, { payload: `still here over ${t}` });
    rt.inject(syncV7, { payload: true });
    assert.strictEqual((await rt.nextOutput(inV7)).payload, `still here over ${t}`);
    await rt.close();
  });
  const failed = (await Promise.allSettled(runs)).filter((r) => r.status === 'rejected');
  if (failed.length) throw failed.length === 1 ? failed[0].reason : new AggregateError(failed.map((r) => r.reason));
});
