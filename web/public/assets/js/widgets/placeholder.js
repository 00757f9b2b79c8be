// Widgets the console does not draw: a labelled placeholder naming the type, never an error.
// Widgets that have nothing to show in a browser (notifications, timers run by the server, ...)
// say so, so nobody mistakes them for a fault.

import { WidgetView, element } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/** Types the server runs by itself or that only mean something on a phone. */
const NOTHING_TO_SHOW = new Set([
  'NOTIFICATION', 'EMAIL', 'TWITTER', 'SMS', 'EVENTOR', 'WEBHOOK', 'RTC', 'BRIDGE', 'TIMER',
  'BLUETOOTH', 'BLUETOOTH_SERIAL', 'GPS_TRIGGER', 'GPS_STREAMING', 'ACCELEROMETER', 'GRAVITY',
  'LIGHT', 'PROXIMITY', 'TEMPERATURE', 'BAROMETER', 'HUMIDITY', 'REPORT',
]);

class PlaceholderView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.element.classList.add('widget--placeholder');
    const name = typeof widget.type === 'string' && widget.type ? widget.type : 'unknown';
    const note = NOTHING_TO_SHOW.has(name) ? 'runs without a screen' : 'not shown in the browser yet';
    this.body.append(element('span', 'placeholder__type', name.replace(/_/g, ' ').toLowerCase()), element('span', 'placeholder__note', note));
  }
}

/**
 * @param {Widget} widget
 * @param {WidgetContext} context
 */
export function placeholder(widget, context) {
  return new PlaceholderView(widget, context);
}
