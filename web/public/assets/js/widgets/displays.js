// Value displays: the plain Value Display and the Labeled Value (a template such as
// "Temp /pin.#/ °C" around the value).

import { WidgetView, element } from './base.js';
import { formatValue } from './format.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

class ValueDisplayView extends WidgetView {
  /**
   * @param {Widget} widget
   * @param {WidgetContext} context
   * @param {string} template  the formatting; empty for the raw value
   */
  constructor(widget, context, template) {
    super(widget, context);
    this.template = template;
    this.suffix = typeof widget.suffix === 'string' ? widget.suffix : '';
    this.value = '';
    this.output = element('output', 'value');
    this.output.classList.add(`value--${String(widget.fontSize ?? 'AUTO').toLowerCase()}`);
    const alignment = String(widget.textAlignment ?? 'MIDDLE').toLowerCase();
    this.body.classList.add(`widget__body--align-${alignment}`);
    this.body.append(this.output);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    this.value = values.join(' ');
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    if (name === 'valueFormatting') this.template = value;
    else if (name === 'suffix') this.suffix = value;
    else return false;
    return true;
  }

  draw() {
    this.output.textContent = this.value === '' ? '–' : formatValue(this.template, this.value) + this.suffix;
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  DIGIT4_DISPLAY: (widget, context) => new ValueDisplayView(widget, context, ''),
  LABELED_VALUE_DISPLAY: (widget, context) =>
    new ValueDisplayView(widget, context, typeof widget.valueFormatting === 'string' ? widget.valueFormatting : ''),
};
