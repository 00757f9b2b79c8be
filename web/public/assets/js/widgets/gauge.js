// The Gauge: an arc filled from min to max, with the (formatted) value in the middle.

import { WidgetView, element, toNumber } from './base.js';
import { formatValue } from './format.js';
import { svg } from './svg.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/** The arc spans 240°, open at the bottom. */
const ARC = 'M 18.8 68 A 36 36 0 1 1 81.2 68';

class GaugeView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    if (this.min === this.max) this.max = this.min + 1023; // the app's default range 0..1023
    this.template = typeof widget.valueFormatting === 'string' ? widget.valueFormatting : '';
    this.value = '';
    const drawing = svg('svg', { viewBox: '0 0 100 90', class: 'gauge', 'aria-hidden': 'true' });
    drawing.append(svg('path', { d: ARC, class: 'gauge__track', pathLength: 100 }));
    this.fill = svg('path', { d: ARC, class: 'gauge__fill', pathLength: 100, 'stroke-dasharray': '0 100' });
    drawing.append(this.fill);
    this.output = element('output', 'gauge__value');
    this.body.classList.add('widget__body--stack');
    this.body.append(drawing, this.output);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    this.value = values[0] ?? '';
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    if (name !== 'valueFormatting') return false;
    this.template = value;
    return true;
  }

  draw() {
    const number = toNumber(this.value, this.min);
    const share = Math.min(1, Math.max(0, (number - this.min) / (this.max - this.min || 1)));
    this.fill.setAttribute('stroke-dasharray', `${(share * 100).toFixed(2)} 100`);
    this.output.textContent = this.value === '' ? '–' : formatValue(this.template, this.value);
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  GAUGE: (widget, context) => new GaugeView(widget, context),
};
