'use strict';
// Starts the real blynkd binary (path in $BLYNKD_BINARY) on 127.0.0.1 with an ephemeral port and
// a temporary data folder, and provisions users and devices through its own CLI.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const binary = process.env.BLYNKD_BINARY;
if (!binary) throw new Error('BLYNKD_BINARY is not set (run the tests through ctest)');

class Blynkd {
  constructor(settings = {}) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blynkd-client-'));
    this.settings = {
      'listen.address': '127.0.0.1',
      'http.port': '0',
      'https.port': '0',
      ...settings,
    };
    this.log = '';
    this.env = { ...process.env, BLYNKD_ALLOW_TMP_DATA: '1' };
  }

  cli(...args) {
    return execFileSync(binary, [...args, '--data-dir', this.dataDir], { env: this.env })
      .toString()
      .trim();
  }

  /**
   * Creates the user if needed (with an app password when `password` is given) and a device;
   * returns its token.
   */
  provision(email, name, { password } = {}) {
    try {
      this.cli('user', 'add', email, ...(password ? ['--password', password] : []));
    } catch (e) {
      if (!String(e.stderr).includes('already exists')) throw e;
    }
    return this.cli('device', 'add', email, '--name', name);
  }

  /** The certificate the server generated on first start (trust it as the CA). */
  get certificate() {
    return path.join(this.dataDir, 'tls', 'cert.pem');
  }

  /** Resolves once the server logs both ports (this.port: plain, this.tlsPort: TLS). */
  start() {
    const args = ['--data-dir', this.dataDir];
    if (process.geteuid() === 0) args.push('--allow-root'); // tests run as root here and in CI
    for (const [k, v] of Object.entries(this.settings)) args.push('--set', `${k}=${v}`);
    this.proc = spawn(binary, args, { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no port logged:\n${this.log}`)), 15000);
      this.proc.stderr.on('data', (chunk) => {
        this.log += chunk.toString();
        const plain = /listening on [^ ]*:(\d+) \(hardware/.exec(this.log);
        const tls = /listening on [^ ]*:(\d+) \(TLS/.exec(this.log);
        if (plain && tls && !this.port) {
          this.port = Number(plain[1]);
          this.tlsPort = Number(tls[1]);
          clearTimeout(timer);
          resolve(this.port);
        }
      });
      this.proc.on('exit', (code, signal) => {
        if (!this.port) reject(new Error(`blynkd exited (${code ?? signal}):\n${this.log}`));
        else if (!this.stopping) {
          // Tests then fail on refused connections; say why, with everything the server logged.
          this.died = `blynkd exited unexpectedly (${code ?? signal}):\n${this.log}`;
          process.stderr.write(`${this.died}\n`);
        }
      });
    });
  }

  /** Resolves when the server's log matches `pattern`, rejects after `ms`. */
  async waitForLog(pattern, ms = 3000) {
    const deadline = Date.now() + ms;
    while (!pattern.test(this.log)) {
      if (Date.now() > deadline) throw new Error(`log never matched ${pattern}:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops the server; rejects if it had already died on its own. */
  stop() {
    this.stopping = true;
    return new Promise((resolve, reject) => {
      if (this.died) return reject(new Error(this.died));
      if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return resolve();
      this.proc.on('exit', () => resolve());
      this.proc.kill('SIGTERM');
    });
  }

  cleanup() {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Resolves when `emitter` emits `event` (with its arguments), rejects after `ms`. */
function once(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

module.exports = { Blynkd, once };
