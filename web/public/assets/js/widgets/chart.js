// The chart (SuperChart): the stored history of its data streams over a period chosen like the
// app's (read from the server's JSON history endpoint), with every numeric value that arrives
// while the page is open added live, drawn on a canvas.

import { WidgetView, element, toNumber } from './base.js';
import { cssColor } from '../profile.js';
import { DEFAULT_PERIOD, PERIODS } from './chart_history.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */
/** @typedef {import('./chart_history.js').ChartPeriod} ChartPeriod */

/** The shortest time the live axis shows, so the first points do not fill the width. */
const MIN_SPAN_MS = 10_000;
/** Enough live points for 10 values a second over 5 minutes, with room to spare. */
const MAX_POINTS = 4000;
const PALETTE = ['#23c48e', '#04c0f8', '#ed9d00', '#d3435c', '#5f7cd8'];

/**
 * @typedef {object} Series
 * @property {string} title
 * @property {string} color
 * @property {boolean} bars      BAR graphs are drawn as bars, the others as lines
 * @property {number[]} storedTimes   from the server, oldest first
 * @property {number[]} storedValues
 * @property {number[]} times    live values: ms since the epoch when they arrived
 * @property {number[]} values
 */

class ChartView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    /** @type {{ title?: string, color?: number, graphType?: string }[]} */
    const streams = Array.isArray(widget.dataStreams) ? widget.dataStreams : [];
    /** @type {Series[]} */
    this.series = streams.map((stream, i) => ({
      title: stream.title || `stream ${i + 1}`,
      color: cssColor(stream.color, PALETTE[i % PALETTE.length]),
      bars: stream.graphType === 'BAR',
      storedTimes: [],
      storedValues: [],
      times: [],
      values: [],
    }));
    /** @type {[number, number] | null} a fixed y range, when the widget sets one */
    this.yRange =
      widget.overrideYAxis === true && toNumber(widget.yAxisMin, 0) !== toNumber(widget.yAxisMax, 0)
        ? [toNumber(widget.yAxisMin, 0), toNumber(widget.yAxisMax, 0)]
        : null;
    /** @type {ChartPeriod} */
    this.period = /** @type {ChartPeriod} */ (PERIODS.find((p) => p.id === DEFAULT_PERIOD));
    /** Answers of an older period's reads are dropped. */
    this.generation = 0;

    this.periodBar = element('div', 'chart__periods');
    this.periodBar.setAttribute('role', 'group');
    this.periodBar.setAttribute('aria-label', 'period');
    this.periodBar.append(
      ...PERIODS.map((period) => {
        const button = /** @type {HTMLButtonElement} */ (element('button', 'chart__period', period.label));
        button.type = 'button';
        button.dataset.period = period.id;
        button.addEventListener('click', () => this.choose(period));
        return button;
      }),
    );
    this.canvas = /** @type {HTMLCanvasElement} */ (element('canvas', 'chart'));
    this.canvas.setAttribute('role', 'img');
    this.status = element('p', 'chart__status');
    this.legend = element('ul', 'chart__legend');
    this.legend.append(
      ...this.series.map((s) => {
        const item = element('li', '', s.title);
        item.style.setProperty('--series', s.color);
        return item;
      }),
    );
    this.body.classList.add('widget__body--column');
    this.body.append(this.periodBar, this.canvas, this.legend, this.status);
    new ResizeObserver(() => this.context.invalidate(this)).observe(this.canvas);
    this.choose(this.period);
  }

  /**
   * Shows `period`: its stored history is read again for every stream.
   * @param {ChartPeriod} period
   */
  choose(period) {
    this.period = period;
    for (const button of this.periodBar.querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.period === period.id));
    }
    const generation = ++this.generation;
    const to = Date.now() + 1;
    const from = to - period.spanMs;
    this.status.textContent = '';
    const reads = this.series.map((series, index) => {
      const binding = this.bindings.find((b) => b.index === index);
      if (!binding || !this.context.history) return Promise.resolve();
      return this.context.history(binding, from, to).then((points) => {
        if (generation !== this.generation) return;
        series.storedTimes = points.times;
        series.storedValues = points.values;
      });
    });
    Promise.all(reads)
      .catch((/** @type {Error} */ error) => {
        if (generation === this.generation) this.status.textContent = `History unavailable: ${error.message}`;
      })
      .finally(() => {
        if (generation === this.generation) this.canvas.dataset.loaded = period.id;
        this.context.invalidate(this);
      });
    this.context.invalidate(this);
  }

  /** @param {number} index @param {string[]} values @param {boolean} replay */
  accept(index, values, replay) {
    // A replayed value is an old measurement, not one taken now.
    if (replay) return;
    const series = this.series[index];
    const value = Number.parseFloat(values[0] ?? '');
    if (!series || !Number.isFinite(value)) return;
    series.times.push(Date.now());
    series.values.push(value);
    if (series.times.length > MAX_POINTS) {
      series.times.splice(0, series.times.length - MAX_POINTS);
      series.values.splice(0, series.values.length - MAX_POINTS);
    }
  }

  /**
   * The points of a series from `start` on: the stored ones, then the live ones newer than the
   * last stored point.
   * @param {Series} series
   * @param {number} start
   * @returns {{ times: number[], values: number[], stored: number }}
   */
  visible(series, start) {
    /** @type {number[]} */
    const times = [];
    /** @type {number[]} */
    const values = [];
    series.storedTimes.forEach((t, i) => {
      if (t < start) return;
      times.push(t);
      values.push(series.storedValues[i]);
    });
    const stored = times.length;
    const lastStored = series.storedTimes.at(-1);
    const after = lastStored === undefined ? start - 1 : Math.max(start, lastStored);
    series.times.forEach((t, i) => {
      if (t <= after) return;
      times.push(t);
      values.push(series.values[i]);
    });
    return { times, values, stored };
  }

  draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(this.canvas.clientWidth * ratio);
    const height = Math.round(this.canvas.clientHeight * ratio);
    if (width === 0 || height === 0) return;
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    const g = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    g.clearRect(0, 0, width, height);

    const now = Date.now();
    let start = now - this.period.spanMs;
    const shown = this.series.map((s) => this.visible(s, start));
    if (this.period.id === 'LIVE') {
      // The live axis grows with the data, from MIN_SPAN_MS up to the period.
      const oldest = Math.min(...shown.map((s) => s.times[0] ?? now));
      start = Math.min(Math.max(oldest, start), now - MIN_SPAN_MS);
    }
    const span = now - start;
    const [low, high] = this.yRange ?? autoRange(shown);
    const pad = 4 * ratio;
    const x = (/** @type {number} */ t) => pad + ((t - start) / span) * (width - 2 * pad);
    const y = (/** @type {number} */ v) => height - pad - ((v - low) / (high - low || 1)) * (height - 2 * pad);

    g.font = `${10 * ratio}px sans-serif`;
    g.fillStyle = getComputedStyle(this.canvas).color;
    g.fillText(formatAxis(high), pad, pad + 10 * ratio);
    g.fillText(formatAxis(low), pad, height - pad);

    this.series.forEach((series, index) => {
      const { times, values } = shown[index];
      g.strokeStyle = series.color;
      g.fillStyle = series.color;
      g.lineWidth = 2 * ratio;
      g.beginPath();
      times.forEach((t, i) => {
        const px = x(t);
        const py = y(values[i]);
        if (series.bars) g.fillRect(px - ratio, py, 2 * ratio, height - pad - py);
        else if (i === 0) g.moveTo(px, py);
        else g.lineTo(px, py);
      });
      if (!series.bars) g.stroke();
    });
    const stored = shown.reduce((n, s) => n + s.stored, 0);
    const live = shown.reduce((n, s) => n + s.times.length - s.stored, 0);
    this.canvas.dataset.storedPoints = String(stored);
    this.canvas.dataset.livePoints = String(live);
    const latest = this.series.map((s, i) => `${s.title}: ${shown[i].values.at(-1) ?? '–'}`).join(', ');
    this.canvas.setAttribute('aria-label', `chart, ${this.period.label}, ${latest}`);
  }
}

/**
 * The smallest and largest value shown, widened a little so a flat line is not on the edge.
 * @param {{ values: number[] }[]} shown
 * @returns {[number, number]}
 */
function autoRange(shown) {
  let low = Infinity;
  let high = -Infinity;
  for (const { values } of shown) {
    for (const v of values) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  if (low === Infinity) return [0, 1];
  const margin = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
  return [low - margin, high + margin];
}

/** @param {number} value */
function formatAxis(value) {
  return String(Number(value.toPrecision(4)));
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  ENHANCED_GRAPH: (widget, context) => new ChartView(widget, context),
};
