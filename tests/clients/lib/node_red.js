'use strict';
// A minimal stand-in for the Node-RED runtime, just enough to load node-red-contrib-blynk-ws
// (pinned in package-lock.json) and run ITS OWN node code unchanged against blynkd: the config
// node `blynk-ws-client` (nodes/blynk-ws-client.js: websocket connection, login, info, pinger,
// reconnect, dispatch of incoming frames) together with the protocol code it mixes in from
// libs/blynk-lib.js, plus the flow nodes that users wire to it (`blynk-ws-out-write`,
// `blynk-ws-in-write`, `blynk-ws-out-sync`, `blynk-ws-out-bridge`, ...).
//
// Nothing of the package is patched or wrapped. Node-RED's runtime is replaced by the small part of
// its API these nodes touch (checked by grepping the package: RED.nodes.createNode /
// registerType / getNode, RED._, RED.util.ensureString, and on nodes: on/emit, log, warn, error,
// status, send, plus Node-RED's 'input' and 'close' event conventions):
//
//   const rt = new NodeRedRuntime();                 // loads every node type the package declares
//   const client = rt.add('blynk-ws-client', { path: 'ws://127.0.0.1:8080/websockets', key });
//   const inWrite = rt.add('blynk-ws-in-write', { client: client.id, pin: '1' });
//   const out = rt.add('blynk-ws-out-write', { client: client.id, pin: '1' });
//   await rt.waitConnected(client);                  // the client's own 'connected' event
//   rt.inject(out, { payload: 'hi' });               // what an upstream node's send does
//   const msg = await rt.nextOutput(inWrite);        // what in-write sends down its wire
//   await rt.close();                                // Node-RED's stop: 'close' on every node
//
// Observability comes from the client's own debug options (the config node's "log" checkboxes):
// with dbg_low every frame is logged as `SEND -> Cmd: …` / `RECV <- Cmd: …`, with dbg_read every
// heartbeat as `ping`. The harness records all node log/warn/error lines per node (rt.logs(node))
// and prints them when NODE_RED_HARNESS_VERBOSE is set.
//
// Two upstream quirks the harness has to know about (both reproduce in real Node-RED):
//  - the config node never emits 'closed'/'error' events (its flow nodes listen for them in vain);
//    a dropped connection shows only as its log line `Websocket closed: <url>`, followed by a
//    reconnect 5 s later and a fresh 'connected' event;
//  - its 1 s heartbeat interval (`node.pinger`) is never cleared, not even on 'close'; Node-RED
//    leaks it, this harness clears it in close() so that node can exit.

const EventEmitter = require('node:events');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');

const PACKAGE = 'node-red-contrib-blynk-ws';
const packageDir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
const packageJson = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const verbose = Boolean(process.env.NODE_RED_HARNESS_VERBOSE);

/** Node-RED's util.ensureString (node-red/packages/node_modules/@node-red/util/lib/util.js). */
function ensureString(o) {
  if (Buffer.isBuffer(o)) return o.toString();
  if (typeof o === 'object') return JSON.stringify(o);
  if (typeof o === 'string') return o;
  return `${o}`;
}

/** Loads the package's en-US catalogs so RED._('blynk-ws-x.status.y') reads like in the editor. */
function loadCatalog() {
  const catalog = {};
  const dir = path.join(packageDir, 'nodes', 'locales', 'en-US');
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (file.endsWith('.json')) {
      Object.assign(catalog, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    }
  }
  return catalog;
}

class NodeRedRuntime {
  constructor() {
    this.types = new Map(); // type -> constructor, as registered by the package
    this.nodes = new Map(); // id -> node instance, in creation order
    this.nextId = 1;
    this.catalog = loadCatalog();
    const runtime = this;

    // Node-RED's Node (node-red/packages/node_modules/@node-red/runtime/lib/nodes/Node.js), reduced
    // to what the package uses. A plain function so that createNode can call it on `this`.
    function Node(config) {
      EventEmitter.call(this);
      this.id = config.id;
      this.type = config.type;
      this.z = config.z;
      this.name = config.name;
      this.wires = config.wires || [];
      this._harness = { log: [], outbox: [], waiters: [], status: [] };
    }
    util.inherits(Node, EventEmitter);
    Node.prototype.log = function log(msg) { runtime.record(this, 'info', msg); };
    Node.prototype.warn = function warn(msg) { runtime.record(this, 'warn', msg); };
    // Node-RED's node.error only logs (and notifies catch nodes); it never emits 'error'.
    Node.prototype.error = function error(msg) { runtime.record(this, 'error', msg); };
    Node.prototype.debug = function debug(msg) { runtime.record(this, 'debug', msg); };
    Node.prototype.trace = function trace(msg) { runtime.record(this, 'trace', msg); };
    Node.prototype.status = function status(s) { this._harness.status.push(s); };
    /** Output port 1 (all these nodes have at most one); delivered to rt.nextOutput(). */
    Node.prototype.send = function send(msg) {
      const m = Array.isArray(msg) ? msg[0] : msg;
      if (m === undefined || m === null) return;
      const h = this._harness;
      const i = h.waiters.findIndex((w) => w.filter(m));
      if (i >= 0) h.waiters.splice(i, 1)[0].resolve(m);
      else h.outbox.push(m);
    };
    /** Node-RED 1.x+: 'input' listeners get (msg, send, done). */
    Node.prototype.receive = function receive(msg) {
      const send = (m) => this.send(m);
      const done = (err) => { if (err) runtime.record(this, 'error', `done(${err})`); };
      this.emit('input', msg, send, done);
    };
    /** Node-RED's close(removed): a listener with 2 params gets (removed, done), 1 gets (done). */
    Node.prototype.close = async function close(removed) {
      for (const listener of this.listeners('close')) {
        if (listener.length >= 2) {
          await new Promise((resolve) => { listener.call(this, removed, resolve); });
        } else if (listener.length === 1) {
          await new Promise((resolve) => { listener.call(this, resolve); });
        } else {
          await listener.call(this);
        }
      }
    };
    this.Node = Node;

    this.RED = {
      nodes: {
        createNode: (node, config) => Node.call(node, config),
        registerType: (type, ctor) => {
          // Like Node-RED: keep the constructor's own prototype object (the package adds methods
          // to it after registering) and make it inherit from Node.
          Object.setPrototypeOf(ctor.prototype, Node.prototype);
          this.types.set(type, ctor);
        },
        getNode: (id) => this.nodes.get(id) || null,
      },
      util: { ensureString },
      _: (key) => {
        const value = key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined),
          this.catalog);
        return typeof value === 'string' ? value : key;
      },
      log: {
        info: (m) => this.record(null, 'info', m),
        warn: (m) => this.record(null, 'warn', m),
        error: (m) => this.record(null, 'error', m),
        debug: (m) => this.record(null, 'debug', m),
        trace: (m) => this.record(null, 'trace', m),
      },
      version: () => 'harness',
    };

    // What Node-RED does on start: load every node file the package declares in package.json.
    for (const file of Object.values(packageJson['node-red'].nodes)) {
      require(path.join(packageDir, file))(this.RED); // eslint-disable-line global-require
    }
  }

  record(node, level, msg) {
    const line = { level, msg: String(msg), time: Date.now() };
    if (node) node._harness.log.push(line);
    if (verbose) {
      const who = node ? `${node.type}:${node.name || node.id}` : 'RED';
      process.stderr.write(`[node-red ${level}] ${who}: ${line.msg}\n`);
    }
  }

  /**
   * Creates a node of `type` from its flow config (what the editor would save), the way a flow
   * start does (`new Ctor(config)`). Config nodes must be added before the nodes that use them.
   * For 'blynk-ws-client' the editor's defaults are filled in; creating it starts connecting.
   */
  add(type, config = {}) {
    const Ctor = this.types.get(type);
    if (!Ctor) throw new Error(`${PACKAGE} has no node type '${type}'`);
    const defaults = type === 'blynk-ws-client'
      ? {
        dbg_all: false, dbg_read: false, dbg_write: false, dbg_notify: false, dbg_mail: false,
        dbg_prop: false, dbg_sync: false, dbg_bridge: false, dbg_low: false, dbg_pins: '',
        multi_cmd: false, proxy_type: 'no', proxy_url: '', enabled: true,
      }
      : {};
    const id = config.id || `n${this.nextId++}`;
    const full = { ...defaults, ...config, id, type, z: 'flow1' };
    // Flow nodes find their config node through RED.nodes.getNode(config.client) while they are
    // constructed, so the config node has to be in the registry by then (add it first).
    const node = new Ctor(full);
    this.nodes.set(id, node);
    return node;
  }

  /** Delivers `msg` to a node's input, like a wire from an upstream node. */
  inject(node, msg) {
    node.receive(msg);
  }

  /** Resolves with the next message `node` sends (optionally the next one matching `filter`). */
  nextOutput(node, { ms = 5000, filter = () => true } = {}) {
    const h = node._harness;
    const i = h.outbox.findIndex(filter);
    if (i >= 0) return Promise.resolve(h.outbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { filter };
      const timer = setTimeout(() => {
        h.waiters.splice(h.waiters.indexOf(waiter), 1);
        reject(new Error(`${node.type} ${node.id} sent nothing within ${ms} ms; its client said:\n`
          + `${this.transcript(this.nodes.get(node.client) || node)}`));
      }, ms);
      waiter.resolve = (m) => { clearTimeout(timer); resolve(m); };
      h.waiters.push(waiter);
    });
  }

  /** The log lines a node produced (objects {level, msg, time}). */
  logs(node) {
    return node._harness.log;
  }

  /** A node's log as text, for assertion messages. */
  transcript(node) {
    return node._harness.log.map((l) => `  ${l.level}: ${l.msg}`).join('\n');
  }

  /** Resolves when `node` has logged a line matching `pattern` (checks lines already logged). */
  async waitForLog(node, pattern, ms = 5000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = node._harness.log.find((l) => pattern.test(l.msg));
      if (line) return line;
      if (Date.now() > deadline) {
        throw new Error(`${node.type} never logged ${pattern}:\n${this.transcript(node)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Resolves when the blynk-ws-client reports it is logged in (its 'connected' event, emitted
   * after the server answered the login with 200 or 4). Rejects as soon as the client logs a
   * websocket error or a refused login instead, with the client's own words (e.g. "Websocket
   * Error: Unexpected server response: 501" when the server has no /websockets endpoint).
   */
  waitConnected(client, ms = 5000) {
    if (client.logged) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const failure = /^Websocket Error|^Invalid auth token|^Not autenticated|^Connect failed/;
      let poll = null;
      const finish = (err) => {
        clearTimeout(timer);
        clearInterval(poll);
        client.removeListener('connected', onConnected);
        if (err) reject(err); else resolve();
      };
      const onConnected = () => finish();
      const timer = setTimeout(() => finish(new Error(
        `blynk-ws-client ${client.path} not connected within ${ms} ms:\n${this.transcript(client)}`,
      )), ms);
      client.on('connected', onConnected);
      poll = setInterval(() => {
        const bad = client._harness.log.find((l) => failure.test(l.msg));
        if (bad) {
          finish(new Error(`blynk-ws-client could not log in to ${client.path}: ${bad.msg}\n`
            + `${this.transcript(client)}`));
        }
      }, 20);
    });
  }

  /**
   * Node-RED's flow stop: 'close' (removed = false) on every node, newest first, so the config
   * node goes last. The client then terminates its websocket and does not reconnect; its pinger
   * interval, which the package never clears, is cleared here.
   */
  async close() {
    const nodes = [...this.nodes.values()].reverse();
    for (const node of nodes) {
      await node.close(false);
      if (node.type === 'blynk-ws-client') {
        clearInterval(node.pinger);
        clearTimeout(node.reconnect_timeout);
      }
    }
    this.nodes.clear();
  }
}

module.exports = { NodeRedRuntime, packageVersion: packageJson.version };
