'use strict';
// A real client for tests/docker/run.sh: the npm blynk-library (pinned in tests/clients) as a board,
// and a REST read over HTTPS. Exits 0 when the server gave what was expected, 1 otherwise.
//   node board.js write PORT TOKEN VALUE    log in over TCP, write V1, read it back with a sync
//   node board.js expect PORT TOKEN VALUE   log in over TCP, sync V1, expect VALUE
//   node board.js rest PORT TOKEN VALUE     GET https://127.0.0.1:PORT/TOKEN/get/V1 is ["VALUE"]

const path = require('node:path');
const https = require('node:https');
const BlynkLib = require(path.join(__dirname, '../clients/node_modules/blynk-library'));

// The library prints a banner and its connection steps with console.log; the test prints results.
console.log = () => {};

const [mode, port, token, value] = process.argv.slice(2);
const deadline = setTimeout(() => fail('no answer within 10 s'), 10000);

function fail(message) {
  console.error(`board.js ${mode}: ${message}`);
  process.exit(1);
}

function done(message) {
  clearTimeout(deadline);
  process.stdout.write(`board.js ${mode}: ${message}\n`);
  process.exit(0);
}

function board() {
  const b = new BlynkLib.Blynk(token, {
    connector: new BlynkLib.TcpClient({ addr: '127.0.0.1', port: Number(port) }),
  });
  b.on('error', (e) => fail(`connection error: ${e.message || e}`));
  return b;
}

function syncedValue(b, onValue) {
  const v1 = new b.VirtualPin(1);
  v1.on('write', ([got]) => onValue(got));
  b.syncVirtual(1);
}

function check(got, what) {
  if (got !== value) fail(`${what} "${got}", expected "${value}"`);
  done(`${what} "${got}"`);
}

if (mode === 'write' || mode === 'expect') {
  const b = board();
  b.on('connect', () => {
    if (mode === 'write') b.virtualWrite(1, value);
    syncedValue(b, (got) => check(got, 'V1 is'));
  });
} else if (mode === 'rest') {
  const url = `https://127.0.0.1:${port}/${token}/get/V1`;
  // The container's certificate is the one blynkd generated for itself: not verified here.
  https.get(url, { rejectUnauthorized: false }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      if (res.statusCode !== 200) fail(`HTTP ${res.statusCode}: ${body}`);
      check(JSON.parse(body)[0], 'REST V1 is');
    });
  }).on('error', (e) => fail(e.message));
} else {
  fail('usage: node board.js write|expect|rest PORT TOKEN VALUE');
}
