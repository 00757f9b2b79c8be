// The widget settings form: device, pin, range, label, colour and the family's own settings.
// It edits a copy of the widget as stored, so fields the console does not know stay as they
// are; a new widget is sent with CREATE_WIDGET, a changed one with UPDATE_WIDGET.

import { element } from '../widgets/base.js';
import { familyOf } from './catalog.js';
import { field, input, openSheet, run, select, submitButton } from './dialog.js';
import { bind, bindingOf } from './layout.js';

/** @typedef {import('./editor.js').EditorHost} EditorHost */
/** @typedef {import('../profile.js').Dashboard} Dashboard */
/** @typedef {import('../profile.js').Widget} Widget */

const PIN_TYPES = /** @type {[string, string][]} */ ([
  ['VIRTUAL', 'Virtual (V)'],
  ['DIGITAL', 'Digital (D)'],
  ['ANALOG', 'Analog (A)'],
]);

/**
 * "#rrggbb" for the app's signed 0xRRGGBBAA colour (its green when unset).
 * @param {number | undefined} color
 */
export function hexColor(color) {
  const rgba = (typeof color === 'number' && color !== 0 ? color : 0x23c48eff) >>> 0;
  return `#${(rgba >>> 8).toString(16).padStart(6, '0')}`;
}

/**
 * The app's signed 0xRRGGBBAA (opaque) for "#rrggbb".
 * @param {string} hex
 */
export function appColor(hex) {
  return ((Number.parseInt(hex.slice(1), 16) << 8) | 0xff) | 0;
}

/**
 * @param {string} name
 * @param {string[]} lines
 */
function linesInput(name, lines) {
  const node = /** @type {HTMLTextAreaElement} */ (element('textarea', 'sheet__input'));
  node.name = name;
  node.rows = 3;
  node.value = lines.join('\n');
  return node;
}

/** @param {string} text */
function lines(text) {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/**
 * @param {string} name
 * @param {number | undefined} value
 */
function numberInput(name, value) {
  const node = input(name, String(value ?? 0), 'number');
  node.step = 'any';
  node.required = true;
  return node;
}

/**
 * Opens the form for `widget`. With `isNew` the widget is created on save, else updated.
 * @param {EditorHost} host
 * @param {Dashboard} dashboard
 * @param {Widget} widget  as stored (or as it will be created); not changed here
 * @param {boolean} isNew
 */
export function widgetForm(host, dashboard, widget, isNew) {
  const family = familyOf(widget.type);
  const fields = new Set(family?.fields ?? ['pin']);
  const copy = /** @type {Widget} */ (structuredClone(widget));
  const binding = bindingOf(copy);
  const title = `${isNew ? 'New' : 'Edit'} ${family?.title ?? widget.type}`;

  const label = input('label', copy.label ?? '');
  label.maxLength = 100;
  const color = input('color', hexColor(copy.color), 'color');
  const devices = dashboard.devices ?? [];
  const device = select(
    'deviceId',
    devices.length
      ? devices.map((d) => [String(d.id), d.name || `Device ${d.id}`])
      : [[String(binding.deviceId), 'no device yet (add one under Devices)']],
    String(binding.deviceId),
  );
  const pinType = select('pinType', PIN_TYPES, binding.pinType);
  const pin = input('pin', String(Math.max(0, binding.pin)), 'number');
  Object.assign(pin, { min: '0', max: '255', step: '1', required: true });
  const min = numberInput('min', copy.min);
  const max = numberInput('max', copy.max);
  const mode = select('mode', [['push', 'Push (on while held)'], ['switch', 'Switch (toggles)']], copy.pushMode ? 'push' : 'switch');
  const styled = copy.type === 'STYLED_BUTTON';
  const onLabel = input('onLabel', String((styled ? copy.onButtonState?.text : copy.onLabel) ?? ''));
  const offLabel = input('offLabel', String((styled ? copy.offButtonState?.text : copy.offLabel) ?? ''));
  const choices = linesInput('labels', Array.isArray(copy.labels) ? copy.labels.map(String) : []);
  const url = input('url', String(copy.url ?? ''), 'url');
  const urls = linesInput('urls', Array.isArray(copy.urls) ? copy.urls.map(String) : []);
  const step = numberInput('step', copy.step ?? 1);
  const webConsole = select('webConsole', [['on', 'On'], ['off', 'Off']], copy.webConsole === false ? 'off' : 'on');
  const emailTo = input('emailTo', String(copy.emailTo ?? ''), 'email');
  const webhookUrl = input('webhookUrl', String(copy.webhookUrl ?? ''), 'url');

  const sheet = openSheet(title, 'widget-sheet', async (s) => {
    const connection = host.connection();
    if (!connection) return;
    copy.label = label.value;
    copy.color = appColor(color.value);
    copy.isDefaultColor = false;
    if (fields.has('pin')) {
      bind(copy, { deviceId: Number(device.value), pinType: pinType.value, pin: Number(pin.value) });
    }
    if (fields.has('range')) {
      copy.min = Number(min.value);
      copy.max = Number(max.value);
    }
    if (fields.has('mode')) copy.pushMode = mode.value === 'push';
    if (fields.has('onOff')) {
      if (styled) {
        copy.onButtonState = { ...(copy.onButtonState ?? {}), text: onLabel.value };
        copy.offButtonState = { ...(copy.offButtonState ?? {}), text: offLabel.value };
      } else {
        setOrDelete(copy, 'onLabel', onLabel.value);
        setOrDelete(copy, 'offLabel', offLabel.value);
      }
    }
    if (fields.has('labels')) copy.labels = lines(choices.value);
    if (fields.has('url')) copy.url = url.value.trim();
    if (fields.has('urls')) copy.urls = lines(urls.value);
    if (fields.has('step')) copy.step = Number(step.value);
    if (fields.has('channels')) {
      copy.webConsole = webConsole.value === 'on';
      copy.emailTo = emailTo.value.trim();
      copy.webhookUrl = webhookUrl.value.trim();
    }
    const saved = await run(s, () =>
      isNew ? connection.createWidget(dashboard.id, copy) : connection.updateWidget(dashboard.id, copy),
    );
    if (saved) {
      s.close();
      host.widgetSaved(dashboard, copy);
    }
  });

  const form = sheet.form;
  form.classList.add('widget-form');
  form.dataset.type = copy.type;
  form.append(field('Label', label), field('Colour', color));
  if (fields.has('pin')) {
    const pinRow = element('div', 'sheet__row');
    pinRow.append(field('Pin type', pinType), field('Pin', pin));
    form.append(field('Device', device), pinRow);
  }
  if (fields.has('range')) {
    const rangeRow = element('div', 'sheet__row');
    rangeRow.append(field('Min', min), field('Max', max));
    form.append(rangeRow);
  }
  if (fields.has('mode')) form.append(field('Mode', mode));
  if (fields.has('onOff')) {
    const labels = element('div', 'sheet__row');
    labels.append(field('On label', onLabel), field('Off label', offLabel));
    form.append(labels);
  }
  if (fields.has('step')) form.append(field('Step', step));
  if (fields.has('labels')) form.append(field('Choices (one a line)', choices));
  if (fields.has('url')) form.append(field('Stream URL', url));
  if (fields.has('urls')) form.append(field('Picture URLs (one a line)', urls));
  if (fields.has('channels')) {
    form.append(
      field('Console pages', webConsole),
      field('E-mail to (empty: none)', emailTo),
      field('Webhook URL (empty: none)', webhookUrl),
    );
  }
  submitButton(sheet, isNew ? 'Add widget' : 'Save', 'widget-form__save');
}

/**
 * An empty label means "the app's default" (unset), as the app stores it.
 * @param {Widget} widget
 * @param {string} key
 * @param {string} value
 */
function setOrDelete(widget, key, value) {
  if (value === '') delete widget[key];
  else widget[key] = value;
}
