'use strict';
// What every browser test does around its pages: start headless Chromium (Debian's; CHROMIUM_PATH
// overrides it), keep what a page reports as problems, sign in, and stop what was started.

const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless Chromium that accepts the test server's self-signed certificate. */
function launchChromium() {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--ignore-certificate-errors'],
  });
}

/**
 * Keeps a page's console errors and warnings, uncaught errors and, unless `requests` is false,
 * failed requests in `problems` (the tests assert it stays empty).
 */
function keepProblems(page, problems, { requests = true } = {}) {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  if (requests) {
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  }
}

/** Fills in the console's sign-in form once it shows, and sends it. */
async function signIn(page, email, password) {
  await page.waitForSelector('#sign-in:not([hidden])');
  await page.type('#email', email);
  await page.type('#password', password);
  await page.click('#sign-in-button');
}

/** Closes the clients and the browser (those that were started), stops the server, removes its data. */
async function shutDown(server, browser, ...clients) {
  for (const client of clients) client?.close();
  await browser?.close();
  try {
    await server.stop();
  } finally {
    server.cleanup();
  }
}

module.exports = { launchChromium, keepProblems, signIn, shutDown };
