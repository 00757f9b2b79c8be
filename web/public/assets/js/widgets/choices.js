// Picking one of several labels: Menu (a drop-down) and Segmented Switch (a row of buttons).
// The pin carries the 1-based index of the chosen label, both ways.

import { WidgetView, element, toNumber } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

class ChoiceView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    /** @type {string[]} */
    this.labels = Array.isArray(widget.labels) ? widget.labels.map(String) : [];
    this.selected = 0; // 1-based; 0 is nothing chosen
    this.drawnLabels = '';
  }

  /** @param {number} index 1-based */
  choose(index) {
    if (this.disabled) return;
    this.selected = index;
    this.send(0, [String(index)]);
    this.context.invalidate(this);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    this.selected = toNumber(values[0], 0);
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    if (name !== 'labels') return false;
    this.labels = value.split('\0');
    return true;
  }

  draw() {
    const labels = this.labels.join('\0');
    if (labels !== this.drawnLabels) {
      this.drawnLabels = labels;
      this.drawOptions();
    }
    this.drawSelection();
  }

  drawOptions() {}

  drawSelection() {}
}

class MenuView extends ChoiceView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.hint = typeof widget.hint === 'string' && widget.hint ? widget.hint : 'Choose…';
    this.select = /** @type {HTMLSelectElement} */ (element('select', 'menu'));
    this.select.setAttribute('aria-label', widget.label || 'menu');
    this.select.addEventListener('change', () => this.choose(Number(this.select.value)));
    this.body.append(this.select);
  }

  drawOptions() {
    const hint = new Option(this.hint, '0');
    hint.disabled = true;
    this.select.replaceChildren(hint, ...this.labels.map((label, i) => new Option(label, String(i + 1))));
  }

  drawSelection() {
    this.select.value = String(this.selected >= 1 && this.selected <= this.labels.length ? this.selected : 0);
    this.select.disabled = this.disabled;
  }
}

class SegmentedView extends ChoiceView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.row = element('div', 'segments');
    this.row.setAttribute('role', 'radiogroup');
    this.body.append(this.row);
  }

  drawOptions() {
    this.row.replaceChildren(
      ...this.labels.map((label, i) => {
        const button = /** @type {HTMLButtonElement} */ (element('button', 'segments__item', label));
        button.type = 'button';
        button.setAttribute('role', 'radio');
        button.addEventListener('click', () => this.choose(i + 1));
        return button;
      }),
    );
  }

  drawSelection() {
    [...this.row.children].forEach((child, i) => {
      const button = /** @type {HTMLButtonElement} */ (child);
      button.classList.toggle('is-on', i + 1 === this.selected);
      button.setAttribute('aria-checked', String(i + 1 === this.selected));
      button.disabled = this.disabled;
    });
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  MENU: (widget, context) => new MenuView(widget, context),
  SEGMENTED_CONTROL: (widget, context) => new SegmentedView(widget, context),
};
