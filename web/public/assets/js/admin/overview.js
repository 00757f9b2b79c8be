// The server figures: uptime, connections, devices online, memory, the storage queue, console
// sign-ins, addresses and accounts the sign-in limiter tracks.

import { h } from './dom.js';
import { formatBytes, formatDuration } from './format.js';

/** @typedef {import('./api.js').Overview} Overview */

/**
 * @typedef {object} Figure
 * @property {string} key  data-figure, for styles and tests
 * @property {string} label
 * @property {string} value
 * @property {string} [detail]
 * @property {boolean} [warn]  drawn as a problem
 */

/**
 * "0", "3.5", "120": one decimal below 10.
 * @param {number} perSecond
 */
function formatRate(perSecond) {
  const n = Number.isFinite(perSecond) ? Math.max(0, perSecond) : 0;
  return n < 10 ? String(Math.round(n * 10) / 10) : String(Math.round(n));
}

/**
 * @param {Overview} o
 * @returns {Figure[]}
 */
export function figuresOf(o) {
  const storage = o.storage;
  const lockouts = o.login_lockouts_tracked ?? { accounts: 0, addresses: 0 };
  /** @type {Figure[]} */
  const figures = [
    { key: 'uptime', label: 'Uptime', value: formatDuration(o.uptime_s), detail: `blynkd ${o.version}` },
    {
      key: 'devices-online',
      label: 'Devices online',
      value: `${o.devices_online} / ${o.devices}`,
      detail: `${o.users} ${o.users === 1 ? 'user' : 'users'}`,
    },
    {
      key: 'connections',
      label: 'Connections',
      value: String(o.sessions.hardware + o.sessions.app),
      detail: `${o.sessions.hardware} hardware · ${o.sessions.app} app`,
    },
    { key: 'rss', label: 'Memory (RSS)', value: formatBytes(o.rss_bytes) },
  ];
  const rates = o.messages_per_s;
  if (rates) {
    figures.push({
      key: 'messages',
      label: 'Messages received',
      value: `${formatRate(rates.hardware + rates.app + rates.http)} /s`,
      detail: `${formatRate(rates.hardware)} hardware · ${formatRate(rates.app)} app · ${formatRate(rates.http)} http`,
    });
  }
  if (storage) {
    figures.push({
      key: 'storage',
      label: 'Storage queue',
      value: String(storage.pending_pins + storage.pending_events),
      detail: `${storage.pending_pins} pin values · ${storage.pending_events} events`,
      warn: storage.pending_pins + storage.pending_events > 10000,
    });
    figures.push({
      key: 'flushes',
      label: 'Flushes',
      value: String(storage.flushes),
      detail: `${storage.failed_flushes} failed · ${storage.dropped_events} events dropped`,
      warn: storage.failed_flushes > 0 || storage.dropped_events > 0,
    });
  }
  if (o.console_sessions !== undefined) {
    figures.push({ key: 'console-sessions', label: 'Console sign-ins', value: String(o.console_sessions) });
  }
  figures.push({
    key: 'lockouts',
    label: 'Sign-in limiter',
    value: String(lockouts.accounts + lockouts.addresses),
    detail: `${lockouts.accounts} accounts · ${lockouts.addresses} addresses tracked`,
  });
  return figures;
}

export class OverviewSection {
  constructor() {
    this.list = h('dl', 'admin-figures');
    this.element = h('section', 'admin-section', { id: 'admin-overview', 'aria-labelledby': 'admin-overview-title' }, [
      h('h2', '', { id: 'admin-overview-title' }, ['Server']),
      this.list,
    ]);
  }

  /** @param {Overview} overview */
  update(overview) {
    this.list.replaceChildren(
      ...figuresOf(overview).map((f) =>
        h('div', `admin-figure${f.warn ? ' is-warning' : ''}`, { 'data-figure': f.key }, [
          h('dt', '', {}, [f.label]),
          h('dd', 'admin-figure__value', {}, [f.value]),
          f.detail ? h('dd', 'admin-figure__detail', {}, [f.detail]) : null,
        ]),
      ),
    );
  }
}
