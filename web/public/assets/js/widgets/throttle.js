// Writes from dragging controls (slider, zeRGBa, joystick) go out at most once per the widget's
// `frequency` ms, and the last value is always sent, so the device ends where the finger did.

export class Throttle {
  /**
   * @param {number} intervalMs  0 sends every call
   * @param {() => void} action
   */
  constructor(intervalMs, action) {
    this.intervalMs = intervalMs;
    this.action = action;
    this.lastRun = -Infinity;
    this.timer = 0;
  }

  /** Runs now, or later within the interval (once, however many calls come before). */
  request() {
    const wait = this.lastRun + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.run();
    } else if (!this.timer) {
      this.timer = window.setTimeout(() => this.run(), wait);
    }
  }

  /** Runs now, dropping any pending run. */
  flush() {
    this.run();
  }

  run() {
    window.clearTimeout(this.timer);
    this.timer = 0;
    this.lastRun = performance.now();
    this.action();
  }
}
