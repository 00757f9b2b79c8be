// The admin API (/api/admin/*, server/http/admin_api.hpp): JSON in and out, the session cookie
// proves who we are, every POST carries the CSRF token. Errors come back as {"error": text}.

/**
 * @typedef {object} Overview
 * @property {string} version
 * @property {number} uptime_s
 * @property {number} users
 * @property {number} devices
 * @property {number} devices_online
 * @property {{ hardware: number, app: number }} sessions
 * @property {number} rss_bytes
 * @property {{ hardware: number, app: number, http: number }} [messages_per_s]  received, last second
 * @property {{ pending_pins: number, pending_events: number, flushes: number,
 *              failed_flushes: number, dropped_events: number }} [storage]
 * @property {number} [console_sessions]
 * @property {{ accounts: number, addresses: number }} login_lockouts_tracked
 */

/**
 * @typedef {object} AdminUser
 * @property {string} email
 * @property {boolean} admin
 * @property {'app' | 'old' | 'none'} password
 * @property {number} dashboards
 * @property {number} devices
 * @property {number} devices_online
 * @property {number} app_sessions
 */

/**
 * @typedef {object} AdminDevice
 * @property {string} email
 * @property {number} dash
 * @property {number} device
 * @property {string} name
 * @property {string} board
 * @property {string} token
 * @property {boolean} online
 * @property {number} connections
 * @property {number} last_seen_ms
 * @property {string} firmware
 * @property {string} library
 */

/**
 * @typedef {object} AdminSession
 * @property {number} id
 * @property {'hardware' | 'app' | 'shared app'} kind
 * @property {string} email
 * @property {string} [device]  "dash-device"
 * @property {string} [name]
 * @property {string} address
 * @property {string} connection
 * @property {number} since_ms
 * @property {string} [firmware]
 * @property {string} [library]
 * @property {string} [os]
 */

/**
 * @typedef {object} DeviceEvent
 * @property {string} name
 * @property {string} description
 * @property {number} time_ms
 */

/** A refusal or failure, with the server's own words when it sent any. */
export class AdminApiError extends Error {
  /**
   * @param {number} status  the HTTP status, 0 when the server could not be reached
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = 'AdminApiError';
    this.status = status;
  }
}

/**
 * @param {Response} response
 * @returns {Promise<AdminApiError>}
 */
async function errorOf(response) {
  let text = '';
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') text = body.error;
  } catch {
    // Not JSON (a proxy's page, say): the status line says enough.
  }
  if (!text) {
    text = {
      401: 'Not signed in.',
      403: 'Administrators only.',
      404: 'Not found.',
      503: 'The server is busy: try again.',
    }[response.status] ?? `The server answered ${response.status}.`;
  }
  return new AdminApiError(response.status, text);
}

/**
 * @param {string} path
 * @param {RequestInit} init
 * @returns {Promise<unknown>}
 */
async function call(path, init) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...init });
  } catch {
    throw new AdminApiError(0, 'The server could not be reached.');
  }
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

/** The admin API for one signed-in session. */
export class AdminApi {
  /** @param {string} csrf  the session's CSRF token, sent with every change */
  constructor(csrf) {
    this.csrf = csrf;
  }

  /** @returns {Promise<Overview>} */
  async overview() {
    return /** @type {Overview} */ (await call('/api/admin/overview', {}));
  }

  /** @returns {Promise<AdminUser[]>} */
  async users() {
    return /** @type {AdminUser[]} */ (await call('/api/admin/users', {}));
  }

  /** @returns {Promise<AdminDevice[]>} */
  async devices() {
    return /** @type {AdminDevice[]} */ (await call('/api/admin/devices', {}));
  }

  /** @returns {Promise<AdminSession[]>} */
  async sessions() {
    return /** @type {AdminSession[]} */ (await call('/api/admin/sessions', {}));
  }

  /**
   * A device's event log, newest first.
   * @param {{ email: string, dash: number, device: number }} target
   * @param {number} [limit]
   * @returns {Promise<DeviceEvent[]>}
   */
  async events({ email, dash, device }, limit = 50) {
    const query = new URLSearchParams({ email, dash: String(dash), device: String(device), limit: String(limit) });
    return /** @type {DeviceEvent[]} */ (await call(`/api/admin/events?${query}`, {}));
  }

  /**
   * @param {string} path
   * @param {object} body
   */
  post(path, body) {
    return call(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': this.csrf },
      body: JSON.stringify(body),
    });
  }

  /**
   * @param {string} email
   * @param {string} hash  the app password hash (hash.js)
   * @param {boolean} admin
   * @returns {Promise<{ email: string, admin: boolean }>}
   */
  async createUser(email, hash, admin) {
    return /** @type {{ email: string, admin: boolean }} */ (
      await this.post('/api/admin/users/create', { email, hash, admin })
    );
  }

  /**
   * @param {string} email
   * @param {number} dash
   * @param {string} name
   * @param {string} board
   * @returns {Promise<AdminDevice>}
   */
  async createDevice(email, dash, name, board) {
    return /** @type {AdminDevice} */ (
      await this.post('/api/admin/devices/create', { email, dash, name, board })
    );
  }

  /**
   * Deletes an account with its dashboards, devices and values (not one's own: 409).
   * @param {string} email
   */
  async deleteUser(email) {
    await this.post('/api/admin/users/delete', { email });
  }

  /** @param {{ email: string, dash: number, device: number }} target */
  async deleteDevice({ email, dash, device }) {
    await this.post('/api/admin/devices/delete', { email, dash, device });
  }

  /**
   * @param {{ email: string, dash: number, device: number }} target
   * @returns {Promise<string>} the new token
   */
  async refreshToken({ email, dash, device }) {
    const body = /** @type {{ token?: unknown }} */ (
      await this.post('/api/admin/devices/refresh-token', { email, dash, device })
    );
    if (typeof body.token !== 'string') throw new AdminApiError(200, 'The server sent no token.');
    return body.token;
  }

  /** @param {number} id */
  async closeSession(id) {
    await this.post('/api/admin/sessions/close', { id });
  }
}
