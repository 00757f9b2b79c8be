// Sliders, horizontal and vertical. While dragging, writes are throttled to the widget's
// `frequency`; with "send on release" only the final value goes out.

import { WidgetView, element, formatNumber, toNumber } from './base.js';
import { Throttle } from './throttle.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

class SliderView extends WidgetView {
  /**
   * @param {Widget} widget
   * @param {WidgetContext} context
   * @param {boolean} vertical
   */
  constructor(widget, context, vertical) {
    super(widget, context);
    if (this.min === this.max) this.max = this.min + 255; // the app's default range 0..255
    this.digits = toNumber(widget.maximumFractionDigits, 0);
    this.sendOnRelease = widget.sendOnReleaseOn === true;
    this.showValue = widget.showValueOn !== false;
    this.value = this.min;
    this.dragging = false;
    this.writes = new Throttle(toNumber(widget.frequency, 0), () => this.send(0, [this.text()]));

    this.input = /** @type {HTMLInputElement} */ (element('input', vertical ? 'slider slider--vertical' : 'slider'));
    this.input.type = 'range';
    this.input.setAttribute('aria-label', widget.label || 'slider');
    this.output = element('output', 'slider__value');
    this.body.append(this.output, this.input);
    this.body.classList.add(vertical ? 'widget__body--column' : 'widget__body--row');

    this.input.addEventListener('input', () => {
      this.dragging = true;
      this.value = Number(this.input.value);
      this.output.textContent = this.text();
      if (!this.sendOnRelease) this.writes.request();
    });
    this.input.addEventListener('change', () => {
      this.dragging = false;
      this.writes.flush();
    });
  }

  text() {
    return formatNumber(this.value, this.digits);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    if (!this.dragging) this.value = toNumber(values[0], this.value);
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    if (name !== 'maximumFractionDigits') return false;
    this.digits = toNumber(value, this.digits);
    return true;
  }

  draw() {
    this.input.min = String(this.min);
    this.input.max = String(this.max);
    this.input.step = this.digits > 0 ? String(10 ** -this.digits) : '1';
    this.input.disabled = this.disabled;
    if (!this.dragging) this.input.value = String(this.value);
    this.output.hidden = !this.showValue;
    this.output.textContent = this.text();
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  SLIDER: (widget, context) => new SliderView(widget, context, false),
  VERTICAL_SLIDER: (widget, context) => new SliderView(widget, context, true),
};
