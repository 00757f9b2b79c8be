// The one module that speaks the wire protocol: the Blynk app protocol over the /dashws
// WebSocket. One binary message is one frame: command (1 byte), message id (2 bytes, big-endian),
// then the body: NUL-separated UTF-8 fields, or for a RESPONSE a 4-byte big-endian status.

export const Command = Object.freeze({
  RESPONSE: 0,
  LOGIN: 2,
  HARDWARE_CONNECTED: 4,
  PING: 6,
  PUSH_NOTIFICATION: 14,
  ACTIVATE_DASHBOARD: 7,
  REFRESH_TOKEN: 9,
  SET_WIDGET_PROPERTY: 19,
  HARDWARE: 20,
  CREATE_DASH: 21,
  DELETE_DASH: 23,
  LOAD_PROFILE_GZIPPED: 24,
  APP_SYNC: 25,
  CREATE_WIDGET: 33,
  UPDATE_WIDGET: 34,
  DELETE_WIDGET: 35,
  UPDATE_PROJECT_SETTINGS: 38,
  CREATE_DEVICE: 42,
  DELETE_DEVICE: 44,
  EVENT_LOG: 64,
  DEVICE_OFFLINE: 71,
});

export const Status = Object.freeze({
  OK: 200,
  ILLEGAL_COMMAND: 2,
  USER_NOT_REGISTERED: 3,
  USER_NOT_AUTHENTICATED: 5,
  NOT_ALLOWED: 6,
  DEVICE_NOT_IN_NETWORK: 7,
});

/** @type {Record<number, string>} */
const statusText = {
  1: 'a limit of this server was reached',
  2: 'the server refused the command',
  3: 'wrong e-mail or password',
  5: 'wrong e-mail or password',
  6: 'not allowed (too many failed attempts, a duplicate id, or too large)',
  7: 'the device is offline',
  8: 'the dashboard is not active',
  9: 'invalid token',
  11: 'the server refused the command body',
  19: 'server error',
};

/** @param {number} status */
export function describeStatus(status) {
  return statusText[status] ?? `status ${status}`;
}

/** The message id of APP_SYNC frames that replay stored values (not new writes). */
export const REPLAY_ID = 1111;

/** The server closes app sessions idle for app.socket.idle.timeout (300 s by default). */
const PING_INTERVAL_MS = 10_000;
/** A request the server never answers must not hang the page. */
const REQUEST_TIMEOUT_MS = 15_000;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * A frame from the server. `fields` is the body split on NUL (empty for a RESPONSE or a
 * binary body); `status` is set for a RESPONSE; `bytes` is the raw body.
 * @typedef {{ command: number, id: number, fields: string[], status: number, bytes: Uint8Array<ArrayBuffer> }} Frame
 */

/**
 * @typedef {object} PendingRequest
 * @property {number} command
 * @property {boolean} expectsData   true when the answer is a frame of the same command, not a RESPONSE
 * @property {(frame: Frame) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {number} timer
 */

/** Thrown when the server answers a request with a status other than 200. */
export class StatusError extends Error {
  /** @param {number} status */
  constructor(status) {
    super(describeStatus(status));
    this.status = status;
  }
}

/**
 * @param {number} command
 * @param {number} id
 * @param {string[]} fields
 */
export function encodeFrame(command, id, fields) {
  const body = utf8Encoder.encode(fields.join('\0'));
  const frame = new Uint8Array(3 + body.length);
  frame[0] = command;
  frame[1] = id >> 8;
  frame[2] = id & 0xff;
  frame.set(body, 3);
  return frame;
}

/**
 * @param {ArrayBuffer} data
 * @returns {Frame}
 */
export function decodeFrame(data) {
  const view = new DataView(data);
  const command = view.getUint8(0);
  const id = view.getUint16(1);
  const bytes = new Uint8Array(data, 3);
  if (command === Command.RESPONSE) {
    return { command, id, fields: [], status: view.getUint32(3), bytes };
  }
  // The compressed profile is binary; every other body is text.
  const fields = command === Command.LOAD_PROFILE_GZIPPED ? [] : utf8Decoder.decode(bytes).split('\0');
  return { command, id, fields, status: 0, bytes };
}

/**
 * The WebSocket URL of the app protocol on the server that served this page.
 * @param {Location} location
 */
export function dashboardSocketUrl(location) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/dashws`;
}

/**
 * An app session over /dashws. Requests resolve with their answer; everything else the server
 * sends (pin values, properties, devices coming and going) goes to `onPush`.
 */
export class AppConnection {
  /**
   * @param {object} handlers
   * @param {(frame: Frame) => void} handlers.onPush
   * @param {(frame: Frame) => void} handlers.onUnmatchedResponse  a status for a write that expects
   *   no answer on success (HARDWARE answered 7: the device is offline)
   * @param {(event: CloseEvent) => void} handlers.onClose
   */
  constructor({ onPush, onUnmatchedResponse, onClose }) {
    this.onPush = onPush;
    this.onUnmatchedResponse = onUnmatchedResponse;
    this.onClose = onClose;
    /** @type {WebSocket | null} */
    this.socket = null;
    /** @type {Map<number, PendingRequest>} */
    this.pending = new Map();
    this.lastId = 0;
    this.pingTimer = 0;
  }

  /**
   * Opens the socket; resolves once it is open.
   * @param {string} url
   * @returns {Promise<void>}
   */
  open(url) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.addEventListener('open', () => {
        this.pingTimer = window.setInterval(() => this.ping(), PING_INTERVAL_MS);
        resolve();
      });
      socket.addEventListener('message', (event) => this.receive(event.data));
      socket.addEventListener('close', (event) => {
        window.clearInterval(this.pingTimer);
        this.failPending(new Error('connection closed'));
        if (this.socket === socket) this.socket = null;
        reject(new Error('could not connect to the server'));
        this.onClose(event);
      });
      this.socket = socket;
    });
  }

  close() {
    const socket = this.socket;
    this.socket = null;
    window.clearInterval(this.pingTimer);
    this.failPending(new Error('connection closed'));
    socket?.close();
  }

  /** @param {Error} error */
  failPending(error) {
    for (const request of this.pending.values()) {
      window.clearTimeout(request.timer);
      request.reject(error);
    }
    this.pending.clear();
  }

  /** Message ids run 1..65535; 0 is never used for a request. */
  nextId() {
    this.lastId = (this.lastId % 0xffff) + 1;
    return this.lastId;
  }

  /**
   * Sends a frame that expects no answer on success.
   * @param {number} command
   * @param {string[]} fields
   * @returns {number} the message id
   */
  send(command, fields) {
    const id = this.nextId();
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(encodeFrame(command, id, fields));
    return id;
  }

  /**
   * Sends a request and resolves with its answer: the RESPONSE frame (rejecting with StatusError
   * unless it is 200), or with `expectsData` the frame of the same command that carries the data.
   * @param {number} command
   * @param {string[]} fields
   * @param {{ expectsData?: boolean }} [options]
   * @returns {Promise<Frame>}
   */
  request(command, fields, { expectsData = false } = {}) {
    return new Promise((resolve, reject) => {
      if (this.socket?.readyState !== WebSocket.OPEN) {
        reject(new Error('not connected'));
        return;
      }
      const id = this.nextId();
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the server did not answer'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { command, expectsData, resolve, reject, timer });
      this.socket.send(encodeFrame(command, id, fields));
    });
  }

  /** @param {ArrayBuffer} data */
  receive(data) {
    if (!(data instanceof ArrayBuffer) || data.byteLength < 3) return;
    const frame = decodeFrame(data);
    const request = this.pending.get(frame.id);
    // Pushes carry the device's own message ids, which may equal a pending request's: only a
    // RESPONSE or a frame of the request's own command answers it.
    const answers =
      request &&
      (frame.command === Command.RESPONSE || (request.expectsData && frame.command === request.command));
    if (request && answers) {
      this.pending.delete(frame.id);
      window.clearTimeout(request.timer);
      if (frame.command === Command.RESPONSE && frame.status !== Status.OK) {
        request.reject(new StatusError(frame.status));
      } else {
        request.resolve(frame);
      }
    } else if (frame.command === Command.RESPONSE) {
      this.onUnmatchedResponse(frame);
    } else {
      this.onPush(frame);
    }
  }

  ping() {
    this.request(Command.PING, []).catch(() => {
      // A lost ping shows up as a closed socket, which is handled there.
    });
  }

  /**
   * @param {string} email
   * @param {string} secret  the app password hash, or "session" when the upgrade carried the cookie
   */
  async login(email, secret) {
    await this.request(Command.LOGIN, [email, secret]);
  }

  /**
   * The user's profile: zlib-deflated JSON, inflated here.
   * @returns {Promise<unknown>}
   */
  async loadProfile() {
    const frame = await this.request(Command.LOAD_PROFILE_GZIPPED, [], { expectsData: true });
    const inflated = new Blob([frame.bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return JSON.parse(await new Response(inflated).text());
  }

  /**
   * Resolves with the status: 200, or 7 when none of the dashboard's devices is online (the
   * dashboard is active either way).
   * @param {number} dashId
   */
  async activateDashboard(dashId) {
    try {
      await this.request(Command.ACTIVATE_DASHBOARD, [String(dashId)]);
      return Status.OK;
    } catch (error) {
      if (error instanceof StatusError && error.status === Status.DEVICE_NOT_IN_NETWORK) return error.status;
      throw error;
    }
  }

  /**
   * A pin write to a device: no answer on success; 7 comes to onUnmatchedResponse.
   * @param {number} dashId
   * @param {number} deviceId
   * @param {string} operation  "vw", "dw" or "aw"
   * @param {number} pin
   * @param {string[]} values
   * @returns {number} the message id
   */
  writePin(dashId, deviceId, operation, pin, values) {
    return this.send(Command.HARDWARE, [`${dashId}-${deviceId}`, operation, String(pin), ...values]);
  }

  /**
   * Asks for every stored value of the dashboard again (APP_SYNC with id 1111 to this session
   * only), e.g. after the page rebuilt its widgets.
   * @param {number} dashId
   */
  async syncValues(dashId) {
    await this.request(Command.APP_SYNC, [String(dashId)]);
  }

  // Editing: the commands the app uses to build dashboards. Each resolves once the server has
  // answered 200 (or with the data it answers) and rejects with StatusError otherwise.

  /**
   * @param {object} dashboard  at least {id, name, widgets: []}
   */
  async createDashboard(dashboard) {
    await this.request(Command.CREATE_DASH, [JSON.stringify(dashboard)]);
  }

  /**
   * @param {number} dashId
   * @param {object} settings  e.g. {name}
   */
  async updateDashboardSettings(dashId, settings) {
    await this.request(Command.UPDATE_PROJECT_SETTINGS, [String(dashId), JSON.stringify(settings)]);
  }

  /** @param {number} dashId */
  async deleteDashboard(dashId) {
    await this.request(Command.DELETE_DASH, [String(dashId)]);
  }

  /**
   * Resolves with the device as the server stored it, its token included.
   * @param {number} dashId
   * @param {{ id: number, name: string, boardType: string }} device
   * @returns {Promise<import('./profile.js').Device>}
   */
  async createDevice(dashId, device) {
    const frame = await this.request(Command.CREATE_DEVICE, [String(dashId), JSON.stringify(device)], {
      expectsData: true,
    });
    return JSON.parse(frame.fields.join('\0'));
  }

  /**
   * A new token for the device; boards still using the old one are disconnected.
   * @param {number} dashId
   * @param {number} deviceId
   * @returns {Promise<string>}
   */
  async refreshToken(dashId, deviceId) {
    const frame = await this.request(Command.REFRESH_TOKEN, [String(dashId), String(deviceId)], {
      expectsData: true,
    });
    return frame.fields[0] ?? '';
  }

  /**
   * @param {number} dashId
   * @param {number} deviceId
   */
  async deleteDevice(dashId, deviceId) {
    await this.request(Command.DELETE_DEVICE, [String(dashId), String(deviceId)]);
  }

  /**
   * @param {number} dashId
   * @param {import('./profile.js').Widget} widget
   */
  async createWidget(dashId, widget) {
    await this.request(Command.CREATE_WIDGET, [String(dashId), JSON.stringify(widget)]);
  }

  /**
   * Replaces the stored widget of the same id (and type) with this one.
   * @param {number} dashId
   * @param {import('./profile.js').Widget} widget
   */
  async updateWidget(dashId, widget) {
    await this.request(Command.UPDATE_WIDGET, [String(dashId), JSON.stringify(widget)]);
  }

  /**
   * @param {number} dashId
   * @param {number} widgetId
   */
  async deleteWidget(dashId, widgetId) {
    await this.request(Command.DELETE_WIDGET, [String(dashId), String(widgetId)]);
  }
}
