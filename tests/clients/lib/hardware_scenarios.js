'use strict';
// The npm blynk-library as a board against the real blynkd: the same scenarios over every
// transport. `transport` is what the server logs ("tcp", "tls"); `connector(server)` builds the
// library's connector for a started server.

const test = require('node:test');
const assert = require('node:assert');
const BlynkLib = require('blynk-library');
const { Blynkd, once } = require('./blynkd');

function defineScenarios(transport, connector) {
  // hard.socket.idle.timeout=1 gives the server a 3 s read-idle timeout; the client pings every
  // second, so staying online for 7 s spans several heartbeats and several idle windows.
  const server = new Blynkd({ 'hard.socket.idle.timeout': '1', 'storage.flush.interval.ms': '100' });
  const boards = [];
  let tokenA;
  let tokenB;

  function board(token) {
    const b = new BlynkLib.Blynk(token, { connector: connector(server), heartbeat: 1000 });
    boards.push(b);
    return b;
  }

  function close(b) {
    clearInterval(b.timerConn);
    b.timerConn = null;
    b.disconnect(false);
  }

  test.before(async () => {
    tokenA = server.provision('node@example.com', 'Node A');
    tokenB = server.provision('node@example.com', 'Node B');
    await server.start();
  });

  test.after(async () => {
    for (const b of boards) close(b);
    try {
      await server.stop();
    } finally {
      server.cleanup();
    }
  });

  test('login, virtualWrite, then syncVirtual returns the stored value', async () => {
    const a = board(tokenA);
    await once(a, 'connect');
    const v1 = new a.VirtualPin(1);
    a.virtualWrite(1, 'hello from node');
    a.syncVirtual(1);
    const [param] = await once(v1, 'write');
    assert.deepStrictEqual(param, ['hello from node']);
    await server.waitForLog(new RegExp(`login ok: hardware ${transport} .*'Node A'`));
    close(a);
  });

  test('multi-value writes come back whole', async () => {
    const a = board(tokenA);
    await once(a, 'connect');
    const v2 = new a.VirtualPin(2);
    a.virtualWrite(2, [1.5, 'x', 'y']);
    a.syncVirtual(2);
    const [param] = await once(v2, 'write');
    assert.deepStrictEqual(param, ['1.5', 'x', 'y']);
    close(a);
  });

  test("bridge: a write from A arrives at B and is stored as B's value", async () => {
    const a = board(tokenA);
    const b = board(tokenB);
    await Promise.all([once(a, 'connect'), once(b, 'connect')]);
    const v5 = new b.VirtualPin(5);
    const bridge = new a.WidgetBridge(10);
    bridge.setAuthToken(tokenB);
    bridge.virtualWrite(5, 'via bridge');
    const [param] = await once(v5, 'write');
    assert.deepStrictEqual(param, ['via bridge']);
    b.syncVirtual(5);
    const [synced] = await once(v5, 'write');
    assert.deepStrictEqual(synced, ['via bridge']);
    close(a);
    close(b);
  });

  test('stays connected across several heartbeats', async () => {
    const a = board(tokenA);
    await once(a, 'connect');
    let disconnects = 0;
    a.on('disconnect', () => disconnects++);
    await new Promise((r) => setTimeout(r, 7000));
    assert.strictEqual(disconnects, 0, server.log);
    const v3 = new a.VirtualPin(3);
    a.virtualWrite(3, 'still here');
    a.syncVirtual(3);
    const [param] = await once(v3, 'write');
    assert.deepStrictEqual(param, ['still here']);
    assert.doesNotMatch(server.log, /Node A.*idle for/);
    close(a);
  });

  test('a bad token is rejected with INVALID_TOKEN (status 9)', async () => {
    const bad = board('x'.repeat(32));
    const [err] = await once(bad, 'error');
    assert.strictEqual(err, 'INVALID_TOKEN');
    await server.waitForLog(/login rejected: unknown token xxxx…\(32\)/);
    close(bad);
  });

  return server;
}

module.exports = { defineScenarios, BlynkLib };
