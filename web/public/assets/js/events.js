// A device's event log (what its sketch sent with Blynk.logEvent): the newest events from the
// REST API (GET /{token}/events), and those that arrive while the list is open (EVENT_LOG frames
// the server sends to console pages).

import { button, field, openSheet, select } from './editor/dialog.js';
import { element } from './widgets/base.js';

/** @typedef {import('./profile.js').Dashboard} Dashboard */
/** @typedef {{ name: string, description: string, time_ms: number }} DeviceEvent */

/** Events fetched when the list opens. */
const EVENT_LIMIT = 100;

/** @param {number} timeMs */
function formatTime(timeMs) {
  return new Date(timeMs).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** @param {DeviceEvent} event */
function eventRow(event) {
  const row = element('li', 'events__item');
  const time = /** @type {HTMLTimeElement} */ (element('time', 'events__time', formatTime(event.time_ms)));
  time.dateTime = new Date(event.time_ms).toISOString();
  row.append(time, element('span', 'events__name', event.name));
  if (event.description) row.append(element('span', 'events__description', event.description));
  return row;
}

/**
 * @param {string} token
 * @returns {Promise<DeviceEvent[]>}
 */
async function fetchEvents(token) {
  const response = await fetch(`/${encodeURIComponent(token)}/events?limit=${EVENT_LIMIT}`, {
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error((await response.text()) || `HTTP ${response.status}`);
  return /** @type {DeviceEvent[]} */ (await response.json());
}

export class EventLog {
  constructor() {
    /** @type {{ dashId: number, deviceId: number, list: HTMLElement, empty: HTMLElement } | null} */
    this.open = null;
  }

  /**
   * Opens the list for a device of `dashboard` (the first; a picker when there are several).
   * @param {Dashboard} dashboard
   */
  show(dashboard) {
    const devices = dashboard.devices ?? [];
    const sheet = openSheet(`Events · ${dashboard.name || 'Dashboard'}`, 'events-sheet');
    sheet.actions.querySelector('.sheet__cancel')?.replaceChildren('Close');
    if (devices.length === 0) {
      sheet.form.append(element('p', 'sheet__text', 'This dashboard has no devices.'));
      return;
    }
    const picker = select('device', devices.map((d) => [String(d.id), d.name || `Device ${d.id}`]), String(devices[0].id));
    const list = element('ol', 'events__list');
    const empty = element('p', 'sheet__text events__empty', '');
    const refresh = button('Refresh', 'events__refresh');
    sheet.form.append(field('Device', picker), empty, list);
    sheet.actions.prepend(refresh);

    const load = async () => {
      const device = devices.find((d) => String(d.id) === picker.value);
      if (!device) return;
      this.open = { dashId: dashboard.id, deviceId: device.id, list, empty };
      list.replaceChildren();
      sheet.error.textContent = '';
      empty.textContent = 'Loading…';
      try {
        const events = await fetchEvents(String(device.token ?? ''));
        // Live events may have arrived meanwhile: they are newer, so they stay first.
        list.append(...events.map(eventRow));
        empty.textContent = list.childElementCount ? '' : 'No events yet: a sketch logs them with Blynk.logEvent().';
      } catch (error) {
        empty.textContent = '';
        sheet.error.textContent = `The events could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      }
    };
    picker.addEventListener('change', () => void load());
    refresh.addEventListener('click', () => void load());
    void sheet.closed.then(() => {
      this.open = null;
    });
    void load();
  }

  /**
   * An event a device just logged: added at the top when its list is open.
   * @param {number} dashId
   * @param {number} deviceId
   * @param {string} name
   * @param {string} description
   */
  receive(dashId, deviceId, name, description) {
    const open = this.open;
    if (!open || open.dashId !== dashId || open.deviceId !== deviceId) return;
    open.list.prepend(eventRow({ name, description, time_ms: Date.now() }));
    open.empty.textContent = '';
  }
}
