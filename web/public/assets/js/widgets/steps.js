// Step controls, horizontal and vertical: − and + move the value by `step` within min..max
// (wrapping round with "loop"); with "send step" the device gets the step (±step), not the value.

import { WidgetView, element, formatNumber, toNumber } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

class StepView extends WidgetView {
  /**
   * @param {Widget} widget
   * @param {WidgetContext} context
   * @param {boolean} vertical
   */
  constructor(widget, context, vertical) {
    super(widget, context);
    if (this.min === this.max) this.max = this.min + 255;
    this.step = toNumber(widget.step, 1) || 1;
    this.loop = widget.isLoopOn === true;
    this.sendStep = widget.isSendStep === true;
    this.showValue = widget.showValueOn !== false;
    this.value = this.min;

    this.body.classList.add(vertical ? 'widget__body--column' : 'widget__body--row');
    this.down = /** @type {HTMLButtonElement} */ (element('button', 'step__button', '−'));
    this.up = /** @type {HTMLButtonElement} */ (element('button', 'step__button', '+'));
    this.down.setAttribute('aria-label', 'decrease');
    this.up.setAttribute('aria-label', 'increase');
    this.output = element('output', 'step__value');
    // Vertical steps put "+" on top.
    if (vertical) this.body.append(this.up, this.output, this.down);
    else this.body.append(this.down, this.output, this.up);
    this.down.addEventListener('click', () => this.move(-1));
    this.up.addEventListener('click', () => this.move(1));
  }

  /** @param {number} direction  1 or −1 */
  move(direction) {
    let next = this.value + direction * this.step;
    if (next > this.max) next = this.loop ? this.min : this.max;
    if (next < this.min) next = this.loop ? this.max : this.min;
    const digits = decimalsOf(this.step);
    this.value = Number(next.toFixed(digits));
    this.send(0, [this.sendStep ? formatNumber(direction * this.step, digits) : formatNumber(this.value, digits)]);
    this.context.invalidate(this);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    if (!this.sendStep) this.value = toNumber(values[0], this.value);
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    if (name !== 'step') return false;
    this.step = toNumber(value, this.step) || this.step;
    return true;
  }

  draw() {
    this.output.hidden = !this.showValue;
    this.output.textContent = formatNumber(this.value, decimalsOf(this.step));
    this.down.disabled = this.disabled;
    this.up.disabled = this.disabled;
  }
}

/** @param {number} step */
function decimalsOf(step) {
  const text = String(step);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  STEP: (widget, context) => new StepView(widget, context, false),
  VERTICAL_STEP: (widget, context) => new StepView(widget, context, true),
};
