// The password hash the Blynk app sends instead of the password, so the browser signs in to the
// same accounts: Base64(SHA-256(UTF8(password) ‖ SHA-256(UTF8(lowercase(email))))).

const utf8 = new TextEncoder();

/**
 * Lower-cases ASCII letters only, as the server does (common/util/password.cpp); a full Unicode
 * lower-casing would give another hash for addresses with non-ASCII capitals.
 * @param {string} email
 */
function asciiLowerCase(email) {
  return email.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** @param {Uint8Array} bytes */
function base64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * @param {string} email
 * @param {string} password
 * @returns {Promise<string>}
 */
export async function appPasswordHash(email, password) {
  if (!globalThis.crypto?.subtle) {
    // Browsers offer SHA-256 only to secure contexts (https, or http on the loopback address).
    throw new Error('This page must be opened over https to sign in.');
  }
  const emailDigest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', utf8.encode(asciiLowerCase(email))),
  );
  const passwordBytes = utf8.encode(password);
  const salted = new Uint8Array(passwordBytes.length + emailDigest.length);
  salted.set(passwordBytes);
  salted.set(emailDigest, passwordBytes.length);
  return base64(new Uint8Array(await crypto.subtle.digest('SHA-256', salted)));
}
