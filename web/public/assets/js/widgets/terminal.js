// The Terminal: text the device prints, appended (the library's terminal.clear() sends "clr"),
// and an input line whose text goes to the device when "input" is on.

import { WidgetView, element } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/** Older output is dropped so a chatty device cannot grow the page without bound. */
const MAX_CHARACTERS = 20_000;

class TerminalView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.text = '';
    this.autoScroll = widget.autoScrollOn !== false;
    this.attachNewLine = widget.attachNewLine === true;
    this.screen = element('pre', 'terminal');
    if (widget.textLightOn === true) this.screen.classList.add('terminal--light');
    this.screen.setAttribute('role', 'log');
    this.body.classList.add('widget__body--column');
    this.body.append(this.screen);
    if (widget.terminalInputOn === true) this.body.append(this.inputLine());
  }

  inputLine() {
    const form = /** @type {HTMLFormElement} */ (element('form', 'terminal__input'));
    const input = /** @type {HTMLInputElement} */ (element('input', ''));
    input.type = 'text';
    input.autocomplete = 'off';
    input.setAttribute('aria-label', 'terminal input');
    form.append(input);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.value === '' || this.disabled) return;
      const line = this.attachNewLine ? `${input.value}\n` : input.value;
      this.send(0, [line]);
      this.append(`${input.value}\n`);
      input.value = '';
      this.context.invalidate(this);
    });
    return form;
  }

  /** @param {string} text */
  append(text) {
    this.text = (this.text + text).slice(-MAX_CHARACTERS);
  }

  /** @param {number} _index @param {string[]} values @param {boolean} replay */
  accept(_index, values, replay) {
    // The server keeps only a terminal's last write and replays it to every session on each
    // activation; the text on screen already holds it.
    if (replay && this.text !== '') return;
    for (const value of values) {
      if (value === 'clr') this.text = '';
      else this.append(value);
    }
  }

  draw() {
    this.screen.textContent = this.text;
    if (this.autoScroll) this.screen.scrollTop = this.screen.scrollHeight;
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  TERMINAL: (widget, context) => new TerminalView(widget, context),
};
