// Level displays, horizontal and vertical: a bar filled from min to max ("flip axis" fills
// from the other end).

import { WidgetView, element, toNumber } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

class LevelView extends WidgetView {
  /**
   * @param {Widget} widget
   * @param {WidgetContext} context
   * @param {boolean} vertical
   */
  constructor(widget, context, vertical) {
    super(widget, context);
    if (this.min === this.max) this.max = this.min + 1023;
    this.vertical = vertical;
    this.showValue = widget.showValueOn !== false;
    this.value = '';
    const bar = element('div', vertical ? 'level level--vertical' : 'level');
    if (widget.isAxisFlipOn === true) bar.classList.add('level--flipped');
    this.fill = element('div', 'level__fill');
    bar.append(this.fill);
    this.output = element('output', 'level__value');
    this.body.classList.add(vertical ? 'widget__body--column' : 'widget__body--row');
    this.body.append(this.output, bar);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    this.value = values[0] ?? '';
  }

  draw() {
    const number = toNumber(this.value, this.min);
    const share = Math.min(1, Math.max(0, (number - this.min) / (this.max - this.min || 1)));
    const percent = `${(share * 100).toFixed(1)}%`;
    if (this.vertical) this.fill.style.height = percent;
    else this.fill.style.width = percent;
    this.output.hidden = !this.showValue;
    this.output.textContent = this.value === '' ? '–' : this.value;
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  LEVEL_DISPLAY: (widget, context) => new LevelView(widget, context, false),
  VERTICAL_LEVEL_DISPLAY: (widget, context) => new LevelView(widget, context, true),
};
