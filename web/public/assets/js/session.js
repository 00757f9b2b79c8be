// Signing in and out over HTTP (/api/session). The server checks the app password hash and sets
// an HttpOnly cookie; the page then logs in on the WebSocket with the secret "session", which
// the server accepts because the WebSocket's upgrade request carries that cookie.

import { appPasswordHash } from './hash.js';

/**
 * What the page needs to log in on the WebSocket (`secret`: always "session", the cookie proves
 * who we are) and to sign out (`csrf`).
 * @typedef {{ email: string, admin: boolean, secret: string, csrf: string }} Credentials
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
 * The session the cookie holds, or null when signed out (the server answers {"email": null}).
 * @returns {Promise<Credentials | null>}
 */
export async function currentSession() {
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(await errorText(response));
  const body = await response.json();
  if (body === null || typeof body !== 'object' || body.email === null) return null;
  return fromSessionBody(body);
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
  throw new Error(await errorText(response));
}

/**
 * Ends the cookie session.
 * @param {Credentials} credentials
 */
export async function signOut(credentials) {
  const response = await fetch('/api/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': credentials.csrf },
  });
  if (!response.ok && response.status !== 401) throw new Error(await errorText(response));
}
