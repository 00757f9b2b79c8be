// What every widget family shares: the frame (label, colour, disabled state), the properties
// every widget takes from hardware, and the split between taking a value (cheap, any time) and
// drawing it (once per animation frame, from the dashboard's loop).

import { bindingsOf, cssColor, cssColorFromProperty } from '../profile.js';

/** @typedef {import('../profile.js').Widget} Widget */
/** @typedef {import('../profile.js').PinBinding} PinBinding */

/**
 * What a widget gets from the page.
 * @typedef {object} WidgetContext
 * @property {(binding: PinBinding, values: string[]) => void} write  sends a pin write to the device
 * @property {(view: WidgetView) => void} invalidate  asks for render() on the next animation frame
 * @property {(binding: PinBinding, from: number, to: number) =>
 *   Promise<import('./chart_history.js').StoredPoints>} [history]  stored values of a pin over
 *   [from, to) (absent where the page has no device token)
 */

/** The app's default widget colour (its green). */
export const DEFAULT_ACCENT = '#23c48e';

/**
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {string | number | undefined} value
 * @param {number} fallback
 */
export function toNumber(value, fallback) {
  const n = typeof value === 'number' ? value : Number.parseFloat(value ?? '');
  return Number.isFinite(n) ? n : fallback;
}

/**
 * A number shown with at most `digits` decimals, without trailing zeros.
 * @param {number} value
 * @param {number} digits
 */
export function formatNumber(value, digits) {
  return String(Number(value.toFixed(Math.max(0, Math.min(digits, 10)))));
}

/**
 * The view of one widget. Families extend it: `accept` keeps a value, `acceptProperty` takes a
 * family's own properties, `draw` renders the body, and `send` writes (never the context
 * directly, so a disabled widget never writes).
 */
export class WidgetView {
  /**
   * @param {Widget} widget
   * @param {WidgetContext} context
   */
  constructor(widget, context) {
    this.widget = widget;
    this.context = context;
    this.bindings = bindingsOf(widget);
    this.label = widget.label ?? '';
    this.accent = cssColor(widget.color, DEFAULT_ACCENT);
    this.min = toNumber(widget.min, 0);
    this.max = toNumber(widget.max, 0);
    this.disabled = false;
    this.online = true;

    this.element = element('section', `widget widget--${widget.type.toLowerCase().replace(/_/g, '-')}`);
    this.element.dataset.widgetId = String(widget.id);
    this.labelElement = element('h3', 'widget__label');
    this.body = element('div', 'widget__body');
    this.element.append(this.labelElement, this.body);
  }

  /**
   * A value (its NUL-separated parts) for stream `index` arrived: keep it, draw later.
   * @param {number} index
   * @param {string[]} values
   * @param {boolean} [replay]  true for a stored value replayed (on activation, or from the
   *   profile), false for a new write; appending widgets must not append a replay twice
   */
  receive(index, values, replay = false) {
    this.accept(index, values, replay);
    this.context.invalidate(this);
  }

  /**
   * Families keep the value here; no DOM work.
   * @param {number} _index
   * @param {string[]} _values
   * @param {boolean} _replay
   */
  accept(_index, _values, _replay) {}

  /**
   * A property set from hardware (SET_WIDGET_PROPERTY).
   * @param {string} name
   * @param {string} value
   */
  setProperty(name, value) {
    if (!this.acceptProperty(name, value)) {
      switch (name) {
        case 'label':
          this.label = value;
          break;
        case 'color': {
          const color = cssColorFromProperty(value);
          if (color) this.accent = color;
          break;
        }
        case 'min':
          this.min = toNumber(value, this.min);
          break;
        case 'max':
          this.max = toNumber(value, this.max);
          break;
        case 'isDisabled':
          this.disabled = value === 'true' || value === '1';
          break;
        default:
          return; // a property this widget does not show
      }
    }
    this.context.invalidate(this);
  }

  /**
   * Families take their own properties here; true when handled.
   * @param {string} _name
   * @param {string} _value
   * @returns {boolean}
   */
  acceptProperty(_name, _value) {
    return false;
  }

  /** @param {boolean} online */
  setOnline(online) {
    this.online = online;
    this.context.invalidate(this);
  }

  /** Draws the current state; called at most once per animation frame. */
  render() {
    this.labelElement.textContent = this.label;
    this.labelElement.hidden = this.label === '';
    this.element.style.setProperty('--accent', this.accent);
    this.element.classList.toggle('is-disabled', this.disabled);
    this.element.classList.toggle('is-offline', !this.online);
    this.draw();
  }

  /** Families draw their body here. */
  draw() {}

  /**
   * Sends values on stream `index` unless the widget is disabled or that stream has no pin.
   * @param {number} index
   * @param {string[]} values
   */
  send(index, values) {
    const binding = this.bindings.find((b) => b.index === index);
    if (binding && !this.disabled) this.context.write(binding, values);
  }
}
