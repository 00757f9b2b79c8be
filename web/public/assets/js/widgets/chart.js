// The live chart (SuperChart): every numeric value its data streams receive while the page is
// open, drawn on a canvas over the last few minutes. Stored history is not loaded yet.

import { WidgetView, element, toNumber } from './base.js';
import { cssColor } from '../profile.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/** How much time the chart shows; older points are dropped. */
const WINDOW_MS = 5 * 60_000;
/** The shortest time the axis shows, so the first points do not fill the width. */
const MIN_SPAN_MS = 10_000;
/** Enough points for 10 values a second over the window, with room to spare. */
const MAX_POINTS = 4000;
const PALETTE = ['#23c48e', '#04c0f8', '#ed9d00', '#d3435c', '#5f7cd8'];

/**
 * @typedef {object} Series
 * @property {string} title
 * @property {string} color
 * @property {boolean} bars      BAR graphs are drawn as bars, the others as lines
 * @property {number[]} times    ms since the epoch
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
      times: [],
      values: [],
    }));
    /** @type {[number, number] | null} a fixed y range, when the widget sets one */
    this.yRange =
      widget.overrideYAxis === true && toNumber(widget.yAxisMin, 0) !== toNumber(widget.yAxisMax, 0)
        ? [toNumber(widget.yAxisMin, 0), toNumber(widget.yAxisMax, 0)]
        : null;

    this.canvas = /** @type {HTMLCanvasElement} */ (element('canvas', 'chart'));
    this.canvas.setAttribute('role', 'img');
    this.legend = element('ul', 'chart__legend');
    this.legend.append(
      ...this.series.map((s) => {
        const item = element('li', '', s.title);
        item.style.setProperty('--series', s.color);
        return item;
      }),
    );
    this.body.classList.add('widget__body--column');
    this.body.append(this.canvas, this.legend);
    new ResizeObserver(() => this.context.invalidate(this)).observe(this.canvas);
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

  draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(this.canvas.clientWidth * ratio);
    const height = Math.round(this.canvas.clientHeight * ratio);
    if (width === 0 || height === 0) return;
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    const g = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    g.clearRect(0, 0, width, height);

    // The time axis grows with the data, from MIN_SPAN_MS up to WINDOW_MS.
    const now = Date.now();
    const oldest = Math.min(...this.series.map((s) => s.times.find((t) => t >= now - WINDOW_MS) ?? now));
    const start = Math.min(oldest, now - MIN_SPAN_MS);
    const span = now - start;
    const [low, high] = this.yRange ?? this.autoRange(start);
    const pad = 4 * ratio;
    const x = (/** @type {number} */ t) => pad + ((t - start) / span) * (width - 2 * pad);
    const y = (/** @type {number} */ v) => height - pad - ((v - low) / (high - low || 1)) * (height - 2 * pad);

    g.font = `${10 * ratio}px sans-serif`;
    g.fillStyle = getComputedStyle(this.canvas).color;
    g.fillText(formatAxis(high), pad, pad + 10 * ratio);
    g.fillText(formatAxis(low), pad, height - pad);

    for (const series of this.series) {
      g.strokeStyle = series.color;
      g.fillStyle = series.color;
      g.lineWidth = 2 * ratio;
      g.beginPath();
      let first = true;
      series.times.forEach((t, i) => {
        if (t < start) return;
        const px = x(t);
        const py = y(series.values[i]);
        if (series.bars) {
          g.fillRect(px - ratio, py, 2 * ratio, height - pad - py);
        } else if (first) {
          g.moveTo(px, py);
          first = false;
        } else {
          g.lineTo(px, py);
        }
      });
      if (!series.bars) g.stroke();
    }
    const latest = this.series.map((s) => `${s.title}: ${s.values.at(-1) ?? '–'}`).join(', ');
    this.canvas.setAttribute('aria-label', `live chart, ${latest}`);
  }

  /**
   * The smallest and largest value shown, widened a little so a flat line is not on the edge.
   * @param {number} start
   * @returns {[number, number]}
   */
  autoRange(start) {
    let low = Infinity;
    let high = -Infinity;
    for (const series of this.series) {
      series.times.forEach((t, i) => {
        if (t < start) return;
        low = Math.min(low, series.values[i]);
        high = Math.max(high, series.values[i]);
      });
    }
    if (low === Infinity) return [0, 1];
    const margin = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
    return [low - margin, high + margin];
  }
}

/** @param {number} value */
function formatAxis(value) {
  return String(Number(value.toPrecision(4)));
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  ENHANCED_GRAPH: (widget, context) => new ChartView(widget, context),
};
