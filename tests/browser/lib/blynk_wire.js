'use strict';
// Raw Blynk clients over plain TCP for the browser tests: a board (5-byte hardware header) and an
// app session (7-byte app header), each with just what the tests need.

const crypto = require('node:crypto');
const net = require('node:net');
const zlib = require('node:zlib');
const { EventEmitter } = require('node:events');

const Command = {
  RESPONSE: 0,
  LOGIN: 2,
  HARDWARE_LOGIN: 29,
  PING: 6,
  SET_WIDGET_PROPERTY: 19,
  HARDWARE: 20,
  LOAD_PROFILE_GZIPPED: 24,
  CREATE_WIDGET: 33,
};

/**
 * A framed TCP connection. `headerSize` 5 gives the hardware framing (16-bit length), 7 the app
 * framing (32-bit length); for a RESPONSE the length field is the status.
 */
class FramedSocket extends EventEmitter {
  constructor(port, headerSize) {
    super();
    this.headerSize = headerSize;
    this.nextId = 1;
    this.buffer = Buffer.alloc(0);
    this.pending = new Map();
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (error) => this.emit('error', error));
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  readLength(offset) {
    return this.headerSize === 5 ? this.buffer.readUInt16BE(offset) : this.buffer.readUInt32BE(offset);
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= this.headerSize) {
      const command = this.buffer[0];
      const id = this.buffer.readUInt16BE(1);
      const lengthOrStatus = this.readLength(3);
      if (command === Command.RESPONSE) {
        this.buffer = this.buffer.subarray(this.headerSize);
        this.settle(id, { command, id, status: lengthOrStatus, body: Buffer.alloc(0) });
        continue;
      }
      if (this.buffer.length < this.headerSize + lengthOrStatus) return;
      const body = this.buffer.subarray(this.headerSize, this.headerSize + lengthOrStatus);
      this.buffer = this.buffer.subarray(this.headerSize + lengthOrStatus);
      const frame = { command, id, status: 0, body };
      const request = this.pending.get(id);
      if (request && request.command === command) this.settle(id, frame);
      else this.emit('message', frame);
    }
  }

  settle(id, frame) {
    const request = this.pending.get(id);
    if (!request) {
      this.emit('message', frame);
      return;
    }
    this.pending.delete(id);
    request.resolve(frame);
  }

  frame(command, id, body) {
    const payload = Buffer.from(body, 'utf8');
    const header = Buffer.alloc(this.headerSize);
    header[0] = command;
    header.writeUInt16BE(id, 1);
    if (this.headerSize === 5) header.writeUInt16BE(payload.length, 3);
    else header.writeUInt32BE(payload.length, 3);
    return Buffer.concat([header, payload]);
  }

  /** Sends and resolves with the answer (a RESPONSE, or a frame of the same command). */
  request(command, fields) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to command ${command}`)), 5000);
      this.pending.set(id, {
        command,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
      this.socket.write(this.frame(command, id, fields.join('\0')));
    });
  }

  /** Sends without waiting for an answer. */
  send(command, fields) {
    this.socket.write(this.frame(command, this.nextId++, fields.join('\0')));
  }

  /** Resolves with the next pushed frame that `match` accepts. */
  next(match, ms = 5000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('message', listener);
        reject(new Error(`no matching message within ${ms} ms`));
      }, ms);
      const listener = (frame) => {
        if (!match(frame)) return;
        clearTimeout(timer);
        this.off('message', listener);
        resolve(frame);
      };
      this.on('message', listener);
    });
  }

  close() {
    this.socket.destroy();
  }
}

async function expectOk(promise, what) {
  const frame = await promise;
  if (frame.command !== Command.RESPONSE || frame.status !== 200) {
    throw new Error(`${what}: answered command ${frame.command} status ${frame.status}`);
  }
  return frame;
}

/** A board: logs in with its token; `writes` collects the HARDWARE bodies the server sends it. */
async function connectBoard(port, token) {
  const board = new FramedSocket(port, 5);
  await board.connected;
  await expectOk(board.request(Command.HARDWARE_LOGIN, [token]), 'hardware login');
  return board;
}

/** An app session with the app password hash. */
async function connectApp(port, email, hash) {
  const app = new FramedSocket(port, 7);
  await app.connected;
  await expectOk(app.request(Command.LOGIN, [email, hash]), 'app login');
  app.loadProfile = async () => {
    const frame = await app.request(Command.LOAD_PROFILE_GZIPPED, []);
    if (frame.command !== Command.LOAD_PROFILE_GZIPPED) throw new Error(`profile: status ${frame.status}`);
    return JSON.parse(zlib.inflateSync(frame.body).toString('utf8'));
  };
  app.createWidget = (dashId, widget) =>
    expectOk(app.request(Command.CREATE_WIDGET, [String(dashId), JSON.stringify(widget)]), `create ${widget.type}`);
  return app;
}

/** The Blynk app's password hash (common/util/password.cpp app_password_hash). */
function appHash(email, password) {
  const emailDigest = crypto.createHash('sha256').update(email.toLowerCase()).digest();
  return crypto.createHash('sha256').update(Buffer.concat([Buffer.from(password), emailDigest])).digest('base64');
}

module.exports = { Command, appHash, connectBoard, connectApp };
