// zeRGBa: a colour picker writing red, green and blue, each scaled to its stream's min..max
// (0..255 by default): one pin with three values ("merge"), or one pin per colour ("split").

import { WidgetView, element, formatNumber, toNumber } from './base.js';
import { Throttle } from './throttle.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */
/** @typedef {import('../profile.js').PinStream} PinStream */

class ZergbaView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.split = widget.splitMode === true;
    /** @type {PinStream[]} */
    const streams = Array.isArray(widget.pins) ? widget.pins : [];
    /** @type {[number, number][]} each colour's range on the wire */
    this.ranges = [0, 1, 2].map((i) => {
      const stream = streams[this.split ? i : 0] ?? {};
      const min = toNumber(stream.min, 0);
      const max = toNumber(stream.max, 0);
      return /** @type {[number, number]} */ (min === max ? [0, 255] : [min, max]);
    });
    /** @type {number[]} red, green, blue in 0..255 */
    this.rgb = [0, 0, 0];
    this.picking = false;
    this.writes = new Throttle(toNumber(widget.frequency, 0), () => this.write());

    this.input = /** @type {HTMLInputElement} */ (element('input', 'zergba'));
    this.input.type = 'color';
    this.input.setAttribute('aria-label', widget.label || 'colour');
    this.body.append(this.input);
    const sendOnRelease = widget.sendOnReleaseOn === true;
    this.input.addEventListener('input', () => {
      this.picking = true;
      this.rgb = parseHex(this.input.value);
      if (!sendOnRelease) this.writes.request();
    });
    this.input.addEventListener('change', () => {
      this.picking = false;
      this.rgb = parseHex(this.input.value);
      this.writes.flush();
    });
  }

  /** The colours in their streams' ranges. */
  wireValues() {
    return this.rgb.map((c, i) => {
      const [min, max] = this.ranges[i];
      return formatNumber(min + ((max - min) * c) / 255, 0);
    });
  }

  write() {
    const values = this.wireValues();
    if (this.split) values.forEach((value, i) => this.send(i, [value]));
    else this.send(0, values);
  }

  /** @param {number} index @param {string[]} values */
  accept(index, values) {
    if (this.picking) return;
    const fromWire = (/** @type {string | undefined} */ text, /** @type {number} */ i) => {
      const [min, max] = this.ranges[i];
      return Math.round(((toNumber(text, min) - min) * 255) / (max - min || 1));
    };
    if (this.split) this.rgb[index] = fromWire(values[0], index);
    else this.rgb = [0, 1, 2].map((i) => fromWire(values[i], i));
  }

  draw() {
    if (!this.picking) this.input.value = toHex(this.rgb);
    this.input.disabled = this.disabled;
  }
}

/** @param {string} hex "#rrggbb" */
function parseHex(hex) {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) || 0);
}

/** @param {number[]} rgb */
function toHex(rgb) {
  return `#${rgb.map((c) => Math.min(255, Math.max(0, c)).toString(16).padStart(2, '0')).join('')}`;
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  RGB: (widget, context) => new ZergbaView(widget, context),
};
