// On/off controls: Button, Styled Button (push or switch mode) and Switch. A press writes the
// "on" value (max, or 1 when min and max are equal), a release in push mode the "off" value.

import { WidgetView, element, formatNumber, toNumber } from './base.js';
import { cssColor, cssColorFromProperty } from '../profile.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/**
 * @typedef {object} ButtonState  a Styled Button's look in one state
 * @property {string} [text]
 * @property {number} [textColor]
 * @property {number} [backgroundColor]
 */

class ToggleView extends WidgetView {
  /**
   * @param {Widget} widget
   * @param {WidgetContext} context
   * @param {boolean} pushMode
   */
  constructor(widget, context, pushMode) {
    super(widget, context);
    this.pushMode = pushMode;
    this.on = false;
    this.onLabel = typeof widget.onLabel === 'string' ? widget.onLabel : 'ON';
    this.offLabel = typeof widget.offLabel === 'string' ? widget.offLabel : 'OFF';
    this.control = /** @type {HTMLButtonElement} */ (element('button', 'toggle'));
    this.control.type = 'button';
    this.body.append(this.control);
    this.listen();
  }

  /** Equal min and max mean the app's default range, 0..1. */
  get onValue() {
    return this.min === this.max ? 1 : this.max;
  }

  get offValue() {
    return this.min === this.max ? 0 : this.min;
  }

  listen() {
    if (!this.pushMode) {
      this.control.addEventListener('click', () => this.press(!this.on));
      return;
    }
    // Push mode holds "on" for as long as the finger (or mouse button, or key) is down.
    this.control.addEventListener('pointerdown', (event) => {
      this.control.setPointerCapture(event.pointerId);
      this.press(true);
    });
    for (const type of ['pointerup', 'pointercancel']) {
      this.control.addEventListener(type, () => {
        if (this.on) this.press(false);
      });
    }
    this.control.addEventListener('keydown', (event) => {
      if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) this.press(true);
    });
    this.control.addEventListener('keyup', (event) => {
      if (event.key === ' ' || event.key === 'Enter') this.press(false);
    });
  }

  /** @param {boolean} on */
  press(on) {
    if (this.disabled) return;
    this.on = on;
    this.send(0, [formatNumber(on ? this.onValue : this.offValue, 6)]);
    this.context.invalidate(this);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    this.on = toNumber(values[0], this.offValue) !== this.offValue;
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    if (name === 'onLabel') this.onLabel = value;
    else if (name === 'offLabel') this.offLabel = value;
    else return false;
    return true;
  }

  draw() {
    this.control.textContent = this.on ? this.onLabel : this.offLabel;
    this.control.classList.toggle('is-on', this.on);
    this.control.setAttribute('aria-pressed', String(this.on));
    this.control.disabled = this.disabled;
  }
}

class ButtonView extends ToggleView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context, widget.pushMode === true);
  }
}

class StyledButtonView extends ToggleView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context, widget.pushMode === true);
    /** @type {ButtonState} */
    const onState = widget.onButtonState ?? {};
    /** @type {ButtonState} */
    const offState = widget.offButtonState ?? {};
    if (typeof onState.text === 'string') this.onLabel = onState.text;
    if (typeof offState.text === 'string') this.offLabel = offState.text;
    this.onText = cssColor(onState.textColor, '#ffffff');
    this.offText = cssColor(offState.textColor, 'var(--accent)');
    this.onBack = cssColor(onState.backgroundColor, 'var(--accent)');
    this.offBack = cssColor(offState.backgroundColor, 'transparent');
    this.control.classList.add(`toggle--${String(widget.edge ?? 'ROUNDED').toLowerCase()}`);
    if (widget.buttonStyle === 'OUTLINE') this.control.classList.add('toggle--outline');
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    const color = cssColorFromProperty(value);
    if (name === 'onColor' && color) this.onText = color;
    else if (name === 'offColor' && color) this.offText = color;
    else if (name === 'onBackColor' && color) this.onBack = color;
    else if (name === 'offBackColor' && color) this.offBack = color;
    else return super.acceptProperty(name, value);
    return true;
  }

  draw() {
    super.draw();
    this.control.style.color = this.on ? this.onText : this.offText;
    this.control.style.background = this.on ? this.onBack : this.offBack;
  }
}

class SwitchView extends ToggleView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context, false);
    this.control.classList.add('toggle--switch');
    this.control.setAttribute('role', 'switch');
    this.caption = element('span', 'toggle__caption');
    this.body.append(this.caption);
    this.onTrack = cssColor(widget.onBackgroundColor, 'var(--accent)');
    this.offTrack = cssColor(widget.offBackgroundColor, 'var(--track)');
  }

  draw() {
    super.draw();
    // The switch shows its state by position; the caption carries the label text.
    this.caption.textContent = this.control.textContent;
    this.control.textContent = '';
    this.control.setAttribute('aria-checked', String(this.on));
    this.control.style.background = this.on ? this.onTrack : this.offTrack;
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  BUTTON: (widget, context) => new ButtonView(widget, context),
  STYLED_BUTTON: (widget, context) => new StyledButtonView(widget, context),
  SWITCH: (widget, context) => new SwitchView(widget, context),
};
