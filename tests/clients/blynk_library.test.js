'use strict';
// npm blynk-library 0.5.4 (pinned in package-lock.json) as a board over plain TCP.

const { defineScenarios, BlynkLib } = require('./lib/hardware_scenarios');

defineScenarios(
  'tcp',
  (server) => new BlynkLib.TcpClient({ addr: '127.0.0.1', port: server.port }),
);
