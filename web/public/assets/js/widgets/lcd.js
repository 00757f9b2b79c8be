// The 16×2 LCD. Simple mode fills two line templates ("/pin0/", "/pin1.#/") from its pins;
// advanced mode takes commands on one pin: "clr", and "p" x y text to print at a position.

import { WidgetView, element } from './base.js';
import { formatValue } from './format.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

const COLUMNS = 16;
const ROWS = 2;

class LcdView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.advanced = widget.advancedMode === true;
    this.templates = [String(widget.textFormatLine1 ?? ''), String(widget.textFormatLine2 ?? '')];
    /** @type {string[]} the latest value of each pin, for simple mode */
    this.values = [];
    /** @type {string[]} the characters on screen, for advanced mode */
    this.lines = Array.from({ length: ROWS }, () => ' '.repeat(COLUMNS));
    this.screen = element('pre', 'lcd');
    if (widget.textLight === true) this.screen.classList.add('lcd--light');
    this.body.append(this.screen);
  }

  /** @param {number} index @param {string[]} values */
  accept(index, values) {
    if (!this.advanced) {
      this.values[index] = values[0] ?? '';
      return;
    }
    if (values[0] === 'clr') {
      this.lines = this.lines.map(() => ' '.repeat(COLUMNS));
    } else if (values[0] === 'p' && values.length >= 4) {
      this.print(Number(values[1]), Number(values[2]), values.slice(3).join(''));
    }
  }

  /**
   * @param {number} x
   * @param {number} y
   * @param {string} text
   */
  print(x, y, text) {
    if (!(y >= 0 && y < ROWS && x >= 0 && x < COLUMNS)) return;
    const line = this.lines[y];
    this.lines[y] = (line.slice(0, x) + text + line.slice(x + text.length)).slice(0, COLUMNS);
  }

  simpleLines() {
    return this.templates.map((template) =>
      template.replace(/\/pin(\d+)(\.#*)?\//g, (_match, index, decimals) =>
        formatValue(`/pin${decimals ?? ''}/`, this.values[Number(index)] ?? ''),
      ),
    );
  }

  draw() {
    const lines = this.advanced ? this.lines : this.simpleLines();
    this.screen.textContent = lines.map((line) => line.slice(0, COLUMNS).padEnd(COLUMNS)).join('\n');
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  LCD: (widget, context) => new LcdView(widget, context),
};
