// What the chart widget needs to show stored history: the periods it offers (like the app's
// SuperChart) and a reader for the server's JSON range endpoint,
// GET /{token}/history/{pin}?from=&to=&resolution= (docs/openapi.json).

/**
 * @typedef {object} ChartPeriod
 * @property {string} id      the app's name of the period (GraphPeriod), kept on the button
 * @property {string} label
 * @property {number} spanMs  how much time the chart shows
 */

/** @type {ChartPeriod[]} */
export const PERIODS = [
  { id: 'LIVE', label: 'Live', spanMs: 5 * 60_000 },
  { id: 'ONE_HOUR', label: '1h', spanMs: 3_600_000 },
  { id: 'SIX_HOURS', label: '6h', spanMs: 6 * 3_600_000 },
  { id: 'DAY', label: '1d', spanMs: 24 * 3_600_000 },
  { id: 'WEEK', label: '1w', spanMs: 7 * 24 * 3_600_000 },
  { id: 'MONTH', label: '1mo', spanMs: 30 * 24 * 3_600_000 },
  { id: 'THREE_MONTHS', label: '3mo', spanMs: 90 * 24 * 3_600_000 },
  { id: 'ONE_YEAR', label: '1y', spanMs: 365 * 24 * 3_600_000 },
];

/** The period a chart opens with: an hour of stored values, with new ones added live. */
export const DEFAULT_PERIOD = 'ONE_HOUR';

/**
 * Stored points of one pin.
 * @typedef {object} StoredPoints
 * @property {number[]} times   ms since the epoch (a bucket's start for aggregates)
 * @property {number[]} values  the value, or a bucket's average
 */

/**
 * Reads the stored points of one pin of a device over [from, to); the server picks the
 * resolution from the span (raw up to an hour, then minute, hour and day averages).
 * @param {string} token  the device's auth token
 * @param {string} pin    "v1", "d3", ...
 * @param {number} from
 * @param {number} to
 * @returns {Promise<StoredPoints>}
 */
export async function readHistory(token, pin, from, to) {
  const query = new URLSearchParams({ from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  const response = await fetch(`/${encodeURIComponent(token)}/history/${pin}?${query}`, {
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`history of ${pin}: ${response.status} ${await response.text()}`);
  /** @type {{ points?: [number, number, number, number, number][] }} */
  const body = await response.json();
  const points = Array.isArray(body.points) ? body.points : [];
  return { times: points.map((p) => p[0]), values: points.map((p) => p[1]) };
}
