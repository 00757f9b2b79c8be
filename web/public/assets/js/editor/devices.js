// Devices of a dashboard: add one (CREATE_DEVICE: the server answers with the device and its
// token), show its token with a copy button and a sketch ready to paste, refresh the token
// (REFRESH_TOKEN) and delete the device (DELETE_DEVICE).

import { element } from '../widgets/base.js';
import { button, confirmThen, field, input, openSheet, run, select, submitButton } from './dialog.js';
import { freeId } from './layout.js';

/** @typedef {import('./editor.js').EditorHost} EditorHost */
/** @typedef {import('../profile.js').Dashboard} Dashboard */
/** @typedef {import('../profile.js').Device} Device */

/** A few of the app's board types (its labels); the server takes any of the app's list. */
const BOARDS = [
  'ESP8266', 'NodeMCU', 'WeMos D1 mini', 'ESP32 Dev Board', 'Arduino UNO', 'Arduino Mega',
  'Arduino Nano', 'Raspberry Pi 3 B', 'Particle Photon', 'Generic Board',
];

const CONNECTIONS = [
  ['WI_FI', 'Wi-Fi'],
  ['ETHERNET', 'Ethernet'],
  ['USB', 'USB'],
  ['GSM', 'GSM'],
];

/** blynkd's default plain port (http.port), which boards connect to without TLS. */
export const DEFAULT_HARDWARE_PORT = 8080;

/**
 * The port boards use on this server: blynkd writes its http.port into the page's
 * `<meta name="blynk-hardware-port">` when it serves it; elsewhere (a page not served by
 * blynkd) the default.
 * @returns {{ port: number, known: boolean }}
 */
export function hardwarePort() {
  const meta = document.querySelector('meta[name="blynk-hardware-port"]');
  const port = Number(meta?.getAttribute('content'));
  if (Number.isInteger(port) && port > 0 && port < 65536) return { port, known: true };
  return { port: DEFAULT_HARDWARE_PORT, known: false };
}

/**
 * A sketch for the board that connects it to this server.
 * @param {Device} device
 * @param {string} token
 * @param {string} host
 * @param {number} port
 */
export function sketchFor(device, token, host, port) {
  const board = device.boardType ?? '';
  if (/raspberry|pi$/i.test(board)) {
    return `# blynk-library's Linux build, on the Pi:\n./blynk --token=${token} --server=${host} --port=${port}\n`;
  }
  const esp32 = /esp32/i.test(board);
  const wifi = esp32 || /esp8266|nodemcu|wemos|thing/i.test(board) || device.connectionType === 'WI_FI';
  if (!wifi) {
    return [
      '#define BLYNK_PRINT Serial',
      '#include <SPI.h>',
      '#include <Ethernet.h>',
      '#include <BlynkSimpleEthernet.h>',
      '',
      `char auth[] = "${token}";`,
      '',
      'void setup() {',
      '  Serial.begin(9600);',
      `  Blynk.begin(auth, "${host}", ${port});`,
      '}',
      '',
      'void loop() {',
      '  Blynk.run();',
      '}',
      '',
    ].join('\n');
  }
  return [
    '#define BLYNK_PRINT Serial',
    ...(esp32
      ? ['#include <WiFi.h>', '#include <WiFiClient.h>', '#include <BlynkSimpleEsp32.h>']
      : ['#include <ESP8266WiFi.h>', '#include <BlynkSimpleEsp8266.h>']),
    '',
    `char auth[] = "${token}";`,
    'char ssid[] = "YourNetworkName";',
    'char pass[] = "YourPassword";',
    '',
    'void setup() {',
    '  Serial.begin(115200);',
    `  Blynk.begin(auth, ssid, pass, "${host}", ${port});`,
    '}',
    '',
    'void loop() {',
    '  Blynk.run();',
    '}',
    '',
  ].join('\n');
}

/**
 * Copies `text`; where the clipboard is not available (or refused), selects `node`'s text so
 * that the user can copy it. Says which in `status`.
 * @param {string} text
 * @param {HTMLElement} node
 * @param {HTMLElement} status
 */
async function copy(text, node, status) {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied.';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    status.textContent = 'Selected: copy it with your device’s copy command.';
  }
}

/**
 * A block of text with a copy button.
 * @param {string} className
 * @param {string} tag
 * @param {string} text
 * @param {string} copyText
 */
function copyable(className, tag, text, copyText) {
  const box = element('div', `copyable ${className}`);
  const value = element(tag, `copyable__text ${className}__value`, text);
  const status = element('span', 'copyable__status');
  status.setAttribute('role', 'status');
  const copyButton = button(copyText, `copyable__copy ${className}__copy`);
  copyButton.addEventListener('click', () => void copy(value.textContent ?? '', value, status));
  box.append(value, copyButton, status);
  return { box, value };
}

/**
 * A device's token, its sketch, and the token refresh.
 * @param {EditorHost} host
 * @param {Dashboard} dashboard
 * @param {Device} device
 */
export function showToken(host, dashboard, device) {
  const sheet = openSheet(device.name || `Device ${device.id}`, 'token-sheet');
  const token = String(device.token ?? '');
  const { port, known } = hardwarePort();
  // An IPv6 address comes in brackets, which the Blynk library does not take.
  const hostName = location.hostname.replace(/^\[|\]$/g, '');

  const tokenBox = copyable('token', 'code', token, 'Copy token');
  const snippetBox = copyable('snippet', 'pre', sketchFor(device, token, hostName, port), 'Copy sketch');
  const note = element(
    'p',
    'hint',
    known
      ? `Boards connect to ${hostName}, port ${port} (plain TCP).`
      : `Boards connect to ${hostName}, port ${port}: blynkd's default plain port (http.port). ` +
          'If this server was started with another http.port, use that number instead.',
  );
  const refresh = button('Refresh token', 'token-sheet__refresh');
  refresh.addEventListener('click', async () => {
    const refreshed = await confirmThen(
      'Refresh token',
      `A new token for “${device.name || `Device ${device.id}`}”. A board still using the old one is ` +
        'disconnected and cannot log in again until its sketch has the new token.',
      'Refresh token',
      async () => {
        const connection = host.connection();
        if (!connection) throw new Error('not connected');
        device.token = await connection.refreshToken(dashboard.id, device.id);
      },
    );
    if (refreshed) {
      tokenBox.value.textContent = device.token ?? '';
      snippetBox.value.textContent = sketchFor(device, String(device.token), hostName, port);
      host.notice('The device has a new token.');
    }
  });
  sheet.form.append(
    element('p', 'sheet__text', 'Its token (a board logs in with it):'),
    tokenBox.box,
    element('p', 'sheet__text', 'A sketch for the Blynk library:'),
    snippetBox.box,
    note,
    refresh,
  );
  sheet.actions.querySelector('.sheet__cancel')?.replaceChildren('Close');
}

/**
 * The device list of the dashboard on screen, with a form to add one.
 * @param {EditorHost} host
 */
export function devicePanel(host) {
  const dashboard = host.current();
  if (!dashboard) return;
  const name = input('name', `Device ${(dashboard.devices?.length ?? 0) + 1}`);
  name.required = true;
  name.maxLength = 50;
  name.autocomplete = 'off';
  const board = select('boardType', BOARDS.map((b) => [b, b]), 'ESP8266');
  const connectionType = select('connectionType', /** @type {[string, string][]} */ (CONNECTIONS), 'WI_FI');

  const sheet = openSheet('Devices', 'devices-sheet', async (s) => {
    const connection = host.connection();
    if (!connection) return;
    const request = {
      id: freeId((dashboard.devices ?? []).map((d) => d.id), 0),
      name: name.value.trim(),
      boardType: board.value,
      connectionType: connectionType.value,
    };
    /** @type {Device | null} */
    let device = null;
    if (await run(s, async () => { device = await connection.createDevice(dashboard.id, request); })) {
      s.close();
      const created = /** @type {Device} */ (/** @type {unknown} */ (device));
      dashboard.devices = [...(dashboard.devices ?? []), created];
      host.redraw();
      showToken(host, dashboard, created);
    }
  });

  const list = element('ul', 'device-list');
  for (const device of dashboard.devices ?? []) {
    const row = element('li', 'device-list__row');
    row.dataset.deviceId = String(device.id);
    const text = element('span', 'device-list__name', device.name || `Device ${device.id}`);
    const kind = element('span', 'device-list__board', device.boardType ?? '');
    const tokenButton = button('Token & sketch', 'device-list__token');
    tokenButton.addEventListener('click', () => {
      sheet.close();
      showToken(host, dashboard, device);
    });
    const remove = button('Delete', 'device-list__delete');
    remove.addEventListener('click', async () => {
      sheet.close();
      const deleted = await confirmThen(
        'Delete device',
        `Delete “${device.name || `Device ${device.id}`}”? Its token stops working and its stored ` +
          'values are removed; widgets showing it stay, without a device.',
        'Delete device',
        async () => {
          const connection = host.connection();
          if (!connection) throw new Error('not connected');
          await connection.deleteDevice(dashboard.id, device.id);
        },
      );
      if (deleted) {
        dashboard.devices = (dashboard.devices ?? []).filter((d) => d.id !== device.id);
        host.redraw();
      }
    });
    row.append(text, kind, tokenButton, remove);
    list.append(row);
  }
  if (!dashboard.devices?.length) list.append(element('li', 'hint', 'No devices yet.'));

  const add = element('fieldset', 'devices-sheet__add');
  add.append(element('legend', '', 'Add a device'), field('Name', name), field('Board', board), field('Connection', connectionType));
  sheet.form.append(list, add);
  submitButton(sheet, 'Add device', 'devices-sheet__create');
}
