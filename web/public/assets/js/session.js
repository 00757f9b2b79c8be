// Signing in and out over HTTP (/api/session). The server sets an HttpOnly cookie; the page then
// logs in on the WebSocket with the secret "session". A server without /api/session (404) is
// still usable: the page logs in on the WebSocket with the password hash, kept in memory only.

import { appPasswordHash } from './hash.js';

/**
 * What the page needs to log in on the WebSocket. `secret` is "session" when the cookie proves
 * who we are, else the app password hash. `csrf` is needed to sign out of a cookie session.
 * @typedef {{ email: string, admin: boolean, secret: string, csrf: string | null }} Credentials
 */

/** The secret the server accepts on LOGIN when the upgrade request carried a valid cookie. */
const COOKIE_SECRET = 'session';

/**
 * @param {Response} response
 * @returns {Promise<string>}
 */
async function errorText(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON: fall through to the status line.
  }
  return `the server answered ${response.status}`;
}

/**
 * @param {unknown} body
 * @returns {Credentials}
 */
function fromSessionBody(body) {
  const session = /** @type {{ email?: unknown, admin?: unknown, csrf?: unknown }} */ (body ?? {});
  if (typeof session.email !== 'string' || typeof session.csrf !== 'string') {
    throw new Error('the server sent a malformed session');
  }
  return { email: session.email, admin: session.admin === true, secret: COOKIE_SECRET, csrf: session.csrf };
}

/**
 * The session the cookie holds, or null when there is none (or the server has no session API).
 * @returns {Promise<Credentials | null>}
 */
export async function currentSession() {
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  if (response.ok) return fromSessionBody(await response.json());
  return null;
}

/**
 * @param {string} email
 * @param {string} password
 * @returns {Promise<Credentials>}
 */
export async function signIn(email, password) {
  const hash = await appPasswordHash(email, password);
  const response = await fetch('/api/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, hash }),
  });
  if (response.ok) return fromSessionBody(await response.json());
  if (response.status === 404) {
    // No session API on this server: the WebSocket login checks the hash instead.
    return { email, admin: false, secret: hash, csrf: null };
  }
  throw new Error(await errorText(response));
}

/**
 * Ends the cookie session; a hash-only session has nothing to end on the server.
 * @param {Credentials} credentials
 */
export async function signOut(credentials) {
  if (credentials.csrf === null) return;
  const response = await fetch('/api/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': credentials.csrf },
  });
  if (!response.ok && response.status !== 401) throw new Error(await errorText(response));
}
