// The two-axis joystick: dragging the knob writes x and y, each scaled to its stream's min..max
// (0..255 by default): one pin with two values, or one pin per axis ("split"). With "auto
// return" the knob springs back to the centre on release.

import { WidgetView, element, formatNumber, toNumber } from './base.js';
import { Throttle } from './throttle.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */
/** @typedef {import('../profile.js').PinStream} PinStream */

/** The app writes joystick moves every 100 ms unless the widget says otherwise. */
const DEFAULT_INTERVAL_MS = 100;

class JoystickView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.split = widget.split === true;
    this.autoReturn = widget.autoReturnOn !== false;
    /** @type {PinStream[]} */
    const streams = Array.isArray(widget.pins) ? widget.pins : [];
    /** @type {[number, number][]} */
    this.ranges = [0, 1].map((i) => {
      const stream = streams[this.split ? i : 0] ?? {};
      const min = toNumber(stream.min, 0);
      const max = toNumber(stream.max, 0);
      return /** @type {[number, number]} */ (min === max ? [0, 255] : [min, max]);
    });
    /** Knob position, each axis in −1..1 (y up). */
    this.position = { x: 0, y: 0 };
    this.dragging = false;
    this.writes = new Throttle(toNumber(widget.frequency, 0) || DEFAULT_INTERVAL_MS, () => this.write());

    this.pad = element('div', 'joystick');
    this.pad.setAttribute('role', 'application');
    this.pad.setAttribute('aria-label', widget.label || 'joystick');
    this.knob = element('div', 'joystick__knob');
    this.pad.append(this.knob);
    this.body.append(this.pad);
    this.listen();
  }

  listen() {
    /** @param {PointerEvent} event */
    const move = (event) => {
      const box = this.pad.getBoundingClientRect();
      const clamp = (/** @type {number} */ v) => Math.max(-1, Math.min(1, v));
      this.position = {
        x: clamp(((event.clientX - box.left) / box.width) * 2 - 1),
        y: clamp(1 - ((event.clientY - box.top) / box.height) * 2),
      };
      this.writes.request();
      this.context.invalidate(this);
    };
    this.pad.addEventListener('pointerdown', (event) => {
      if (this.disabled) return;
      this.pad.setPointerCapture(event.pointerId);
      this.dragging = true;
      move(event);
    });
    this.pad.addEventListener('pointermove', (event) => {
      if (this.dragging) move(event);
    });
    const release = () => {
      if (!this.dragging) return;
      this.dragging = false;
      if (this.autoReturn) this.position = { x: 0, y: 0 };
      this.writes.flush();
      this.context.invalidate(this);
    };
    this.pad.addEventListener('pointerup', release);
    this.pad.addEventListener('pointercancel', release);
  }

  write() {
    const values = [this.position.x, this.position.y].map((v, i) => {
      const [min, max] = this.ranges[i];
      return formatNumber(min + ((max - min) * (v + 1)) / 2, 0);
    });
    if (this.split) values.forEach((value, i) => this.send(i, [value]));
    else this.send(0, values);
  }

  /** @param {number} index @param {string[]} values */
  accept(index, values) {
    if (this.dragging) return;
    const fromWire = (/** @type {string | undefined} */ text, /** @type {number} */ i) => {
      const [min, max] = this.ranges[i];
      return ((toNumber(text, (min + max) / 2) - min) / (max - min || 1)) * 2 - 1;
    };
    if (this.split) {
      if (index === 0) this.position.x = fromWire(values[0], 0);
      else this.position.y = fromWire(values[0], 1);
    } else {
      this.position = { x: fromWire(values[0], 0), y: fromWire(values[1], 1) };
    }
  }

  draw() {
    // The knob's centre moves within the pad; 50 % is the middle.
    this.knob.style.left = `${50 + this.position.x * 40}%`;
    this.knob.style.top = `${50 - this.position.y * 40}%`;
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  TWO_AXIS_JOYSTICK: (widget, context) => new JoystickView(widget, context),
};
