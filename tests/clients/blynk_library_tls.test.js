'use strict';
// npm blynk-library 0.5.4 as a board over TLS to https.port, trusting the certificate blynkd
// generated on its first start (the library refuses to log in unless the server is authorized).

const { defineScenarios, BlynkLib } = require('./lib/hardware_scenarios');

defineScenarios(
  'tls',
  (server) =>
    new BlynkLib.SslClient({
      addr: '127.0.0.1',
      port: server.tlsPort,
      ca: [server.certificate],
    }),
);
