'use strict';
// Serves web/public the way blynkd will (the page at /, files under /assets/, the console's
// Content-Security-Policy), and passes /dashws WebSocket upgrades through to blynkd, so the page
// talks to the real server on its own origin. Used until blynkd serves the console itself.

const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');

const PUBLIC_DIR = path.resolve(__dirname, '../../../web/public');

const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; frame-ancestors 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
};

function fileFor(urlPath) {
  if (urlPath === '/') return path.join(PUBLIC_DIR, 'index.html');
  if (!urlPath.startsWith('/assets/')) return null;
  const file = path.resolve(PUBLIC_DIR, `.${decodeURIComponent(urlPath)}`);
  return file.startsWith(`${PUBLIC_DIR}${path.sep}`) ? file : null;
}

/** Starts on an ephemeral port of 127.0.0.1; resolves with { url, close }. */
function startConsoleServer(blynkdPort) {
  const server = http.createServer((req, res) => {
    const file = fileFor(new URL(req.url, 'http://x').pathname);
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url.startsWith('/dashws')) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(blynkdPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(done);
          }),
      });
    });
  });
}

module.exports = { startConsoleServer, CONTENT_SECURITY_POLICY };
