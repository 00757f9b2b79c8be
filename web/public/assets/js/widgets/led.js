// The LED: brightness 0..255 from its pin (the library's led.on() writes 255, off() 0), in the
// widget's colour; "color" from hardware changes it.

import { WidgetView, element, toNumber } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

class LedView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.brightness = 0;
    this.lamp = element('span', 'led');
    this.lamp.setAttribute('role', 'img');
    this.body.append(this.lamp);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    this.brightness = Math.min(255, Math.max(0, toNumber(values[0], 0)));
  }

  draw() {
    // A dark LED stays faintly visible, as on the app.
    this.lamp.style.opacity = String(0.15 + (0.85 * this.brightness) / 255);
    this.lamp.classList.toggle('is-lit', this.brightness > 0);
    this.lamp.setAttribute('aria-label', `LED ${Math.round((this.brightness / 255) * 100)} %`);
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  LED: (widget, context) => new LedView(widget, context),
};
