// Devices: every device of every user with its token (copy it), state and firmware; filter by
// user; create one on a user's dashboard; a new token or deletion, each after a confirmation.

import { ItemTable, StatusLine, confirmAction, copyButton, field, h, runAction, timeAndAgo } from './dom.js';

/** @typedef {import('./api.js').AdminApi} AdminApi */
/** @typedef {import('./api.js').AdminDevice} AdminDevice */
/** @typedef {import('./api.js').AdminUser} AdminUser */
/** @typedef {import('./api.js').DeviceEvent} DeviceEvent */

/** Board types offered (any other may be typed). */
const BOARDS = ['ESP32', 'ESP8266', 'NodeMCU', 'Arduino Uno', 'Arduino Mega', 'Arduino Nano', 'Raspberry Pi', 'Generic Board'];
const ALL = '';

/** @param {AdminDevice} d */
const keyOf = (d) => `${d.email}\n${d.dash}-${d.device}`;

export class DevicesSection {
  /**
   * @param {AdminApi} api
   * @param {() => Promise<void>} refresh  reloads every list
   */
  constructor(api, refresh) {
    this.api = api;
    this.refresh = refresh;
    /** @type {AdminDevice[]} */
    this.devices = [];
    /** @type {AdminUser[]} */
    this.users = [];
    this.status = new StatusLine();

    this.filter = h('select', '', { id: 'admin-device-filter' });
    this.filter.addEventListener('change', () => this.showList());

    /** @type {ItemTable<AdminDevice>} */
    this.table = new ItemTable(
      [
        { label: 'Device', className: 'admin-col-main' },
        { label: 'Owner' },
        { label: 'State' },
        { label: 'Token' },
        { label: 'Firmware' },
        { label: '', className: 'admin-col-actions' },
      ],
      'No devices.',
      keyOf,
      (d) => this.cells(d),
      'admin-devices',
    );

    // One device's event log, opened from its row and reloaded with the lists.
    /** @type {AdminDevice | null} */
    this.eventsOf = null;
    this.eventsTitle = h('h3', '', { id: 'admin-events-title' });
    this.eventsStatus = new StatusLine();
    /** @type {ItemTable<DeviceEvent & { index: number }>} */
    this.eventsTable = new ItemTable(
      [{ label: 'Time' }, { label: 'Event', className: 'admin-col-main' }, { label: 'Description' }],
      'No events logged.',
      (e) => String(e.index),
      (e) => [timeAndAgo(e.time_ms), e.name, e.description || h('span', 'admin-dim', {}, ['—'])],
      'admin-events-table',
    );
    const closeEvents = h('button', 'admin-button admin-button--small', { type: 'button', 'data-action': 'close-events' }, ['Close']);
    closeEvents.addEventListener('click', () => this.closeEvents());
    this.eventsPanel = h('section', 'admin-events', { id: 'admin-events', 'aria-labelledby': 'admin-events-title', hidden: true }, [
      h('div', 'admin-section__head', {}, [this.eventsTitle, closeEvents]),
      this.eventsStatus.element,
      this.eventsTable.element,
    ]);

    this.newOwner = h('select', '', { id: 'admin-new-device-owner', required: true });
    this.newDash = h('input', '', { id: 'admin-new-device-dash', type: 'number', min: '0', step: '1', required: true, list: 'admin-known-dashes', inputmode: 'numeric' });
    this.knownDashes = h('datalist', '', { id: 'admin-known-dashes' });
    this.newName = h('input', '', { id: 'admin-new-device-name', type: 'text', maxlength: '50', required: true, autocomplete: 'off' });
    this.newBoard = h('input', '', { id: 'admin-new-device-board', type: 'text', list: 'admin-boards', value: 'ESP32', autocomplete: 'off' });
    const boards = h('datalist', '', { id: 'admin-boards' }, BOARDS.map((b) => h('option', '', { value: b })));
    this.dashHint = h('p', 'admin-hint');
    this.submit = h('button', 'admin-button admin-button--primary', { type: 'submit' }, ['Create device']);
    this.formStatus = new StatusLine();
    const form = h('form', 'admin-form', { id: 'admin-create-device' }, [
      h('h3', '', {}, ['Add a device']),
      field('User', this.newOwner),
      field('Dashboard id', this.newDash),
      this.knownDashes,
      field('Name', this.newName),
      field('Board', this.newBoard),
      boards,
      this.dashHint,
      h('div', 'admin-form__buttons', {}, [this.submit]),
      this.formStatus.element,
    ]);
    this.newOwner.addEventListener('change', () => this.suggestDashboard(true));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });

    this.element = h('section', 'admin-section', { id: 'admin-devices', 'aria-labelledby': 'admin-devices-title' }, [
      h('div', 'admin-section__head', {}, [
        h('h2', '', { id: 'admin-devices-title' }, ['Devices']),
        field('User', this.filter, 'admin-field--inline'),
      ]),
      this.status.element,
      this.table.element,
      this.eventsPanel,
      form,
    ]);
  }

  /**
   * Shows the event log of a device.
   * @param {AdminDevice} d
   */
  openEvents(d) {
    this.eventsOf = d;
    this.eventsTitle.textContent = `Event log of “${d.name || `device ${d.device}`}” (${d.email})`;
    this.eventsTable.update([]);
    this.eventsStatus.show('Loading…', 'busy');
    this.eventsPanel.hidden = false;
    this.eventsPanel.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    void this.loadEvents();
  }

  closeEvents() {
    this.eventsOf = null;
    this.eventsPanel.hidden = true;
  }

  async loadEvents() {
    const target = this.eventsOf;
    if (!target) return;
    try {
      const events = await this.api.events(target);
      if (this.eventsOf !== target) return;
      this.eventsTable.update(events.map((e, index) => ({ ...e, index })));
      this.eventsStatus.show(events.length ? `The last ${events.length} ${events.length === 1 ? 'event' : 'events'}, newest first.` : '', 'ok');
    } catch (error) {
      if (this.eventsOf === target) this.eventsStatus.show(error instanceof Error ? error.message : String(error), 'error');
    }
  }

  /**
   * @param {AdminDevice} d
   * @returns {import('./dom.js').Child[]}
   */
  cells(d) {
    const token = h('code', 'admin-token', {}, [d.token]);
    const refresh = h('button', 'admin-button admin-button--small', { type: 'button', 'data-action': 'refresh-token' }, ['New token']);
    refresh.addEventListener('click', () => void this.refreshToken(d, refresh));
    const events = h('button', 'admin-button admin-button--small', { type: 'button', 'data-action': 'events' }, ['Events']);
    events.addEventListener('click', () => this.openEvents(d));
    const remove = h('button', 'admin-button admin-button--small admin-button--danger', { type: 'button', 'data-action': 'delete' }, ['Delete']);
    remove.addEventListener('click', () => void this.remove(d, remove));
    const software = [d.firmware && `fw ${d.firmware}`, d.library && `lib ${d.library}`].filter(Boolean).join(' · ');
    return [
      h('span', '', {}, [h('strong', '', {}, [d.name || `Device ${d.device}`]), h('span', 'admin-dim admin-ref', {}, [`dash ${d.dash} · device ${d.device}`])]),
      h('span', 'admin-email', {}, [d.email]),
      d.online
        ? h('span', 'admin-state is-online', {}, [d.connections > 1 ? `online (${d.connections})` : 'online'])
        : h('span', 'admin-state', {}, [
            'offline',
            h('span', 'admin-seen', {}, [d.last_seen_ms > 0 ? 'last seen ' : '', timeAndAgo(d.last_seen_ms, 'never seen')]),
          ]),
      h('span', 'admin-token-cell', {}, [token, copyButton(d.token, token)]),
      software || h('span', 'admin-dim', {}, ['—']),
      h('span', 'admin-actions', {}, [events, refresh, remove]),
    ];
  }

  /**
   * @param {AdminDevice} d
   * @param {HTMLButtonElement} button
   */
  async refreshToken(d, button) {
    const name = d.name || `device ${d.device}`;
    const ok = await confirmAction({
      title: `New token for “${name}”?`,
      text: `The old token stops working at once and a board using it is disconnected: it must be given the new token (${d.email}, dashboard ${d.dash}).`,
      confirm: 'Make a new token',
    });
    if (!ok) return;
    await runAction(button, this.status, `Making a new token for “${name}”…`, async () => {
      const token = await this.api.refreshToken(d);
      const shown = h('code', 'admin-token', {}, [token]);
      this.status.show(`New token for “${name}”: `, 'ok', [shown, ' ', copyButton(token, shown)]);
    });
    await this.refresh();
  }

  /**
   * @param {AdminDevice} d
   * @param {HTMLButtonElement} button
   */
  async remove(d, button) {
    const name = d.name || `device ${d.device}`;
    const ok = await confirmAction({
      title: `Delete “${name}”?`,
      text: `The device of ${d.email} on dashboard ${d.dash} is deleted with its token and stored values; a board using it is disconnected. This cannot be undone.`,
      confirm: 'Delete device',
    });
    if (!ok) return;
    const done = await runAction(button, this.status, `Deleting “${name}”…`, () => this.api.deleteDevice(d));
    if (done) this.status.show(`Deleted “${name}”.`, 'ok');
    await this.refresh();
  }

  async create() {
    const email = this.newOwner.value;
    const dash = Number(this.newDash.value);
    const name = this.newName.value.trim();
    const board = this.newBoard.value.trim() || 'ESP32';
    if (!email || !Number.isInteger(dash) || !name) {
      this.formStatus.show('Choose a user, a dashboard id and a name.', 'error');
      return;
    }
    const done = await runAction(this.submit, this.formStatus, 'Creating…', async () => {
      const made = await this.api.createDevice(email, dash, name, board);
      const token = h('code', 'admin-token', {}, [made.token]);
      this.formStatus.show(`Created “${made.name}” (device ${made.device} on dashboard ${made.dash}). Token: `, 'ok', [token, ' ', copyButton(made.token, token)]);
    });
    if (!done) return;
    this.newName.value = '';
    await this.refresh();
  }

  /**
   * Shows only the devices of `email` ('' for all).
   * @param {string} email
   */
  showUser(email) {
    this.filter.value = this.users.some((u) => u.email === email) ? email : ALL;
    if (this.filter.value && this.users.some((u) => u.email === email)) this.newOwner.value = email;
    this.suggestDashboard(true);
    this.showList();
    this.element.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  /**
   * The dashboard ids known for the chosen owner (from their devices; the API lists no
   * dashboards of their own), offered in the form.
   * @param {boolean} replace  put the first known id into the field
   */
  suggestDashboard(replace) {
    const email = this.newOwner.value;
    const dashes = [...new Set(this.devices.filter((d) => d.email === email).map((d) => d.dash))].sort((a, b) => a - b);
    this.knownDashes.replaceChildren(...dashes.map((id) => h('option', '', { value: String(id) })));
    if (replace || this.newDash.value === '') this.newDash.value = dashes.length ? String(dashes[0]) : '';
    const user = this.users.find((u) => u.email === email);
    if (user && user.dashboards === 0) {
      this.dashHint.textContent = 'This user has no dashboards yet: one must be created (in the app or the console) before it can hold devices.';
    } else if (user && dashes.length === 0) {
      this.dashHint.textContent = `This user has ${user.dashboards} ${user.dashboards === 1 ? 'dashboard' : 'dashboards'} and no devices: enter the dashboard id.`;
    } else {
      this.dashHint.textContent = dashes.length > 1 ? `Dashboards with devices: ${dashes.join(', ')}.` : '';
    }
  }

  /**
   * @param {AdminDevice[]} devices
   * @param {AdminUser[]} users
   */
  update(devices, users) {
    this.devices = devices;
    this.users = users;
    const emails = users.map((u) => u.email);
    syncOptions(this.filter, [[ALL, 'All users'], ...emails.map((e) => /** @type {[string, string]} */ ([e, e]))]);
    const ownerBefore = this.newOwner.value;
    syncOptions(this.newOwner, emails.map((e) => /** @type {[string, string]} */ ([e, e])));
    this.suggestDashboard(this.newOwner.value !== ownerBefore);
    this.showList();
    const open = this.eventsOf;
    if (open) {
      const still = devices.find((d) => keyOf(d) === keyOf(open));
      if (still) {
        this.eventsOf = still;
        void this.loadEvents();
      } else {
        this.closeEvents();
      }
    }
  }

  showList() {
    const email = this.filter.value;
    this.table.update(email === ALL ? this.devices : this.devices.filter((d) => d.email === email));
  }
}

/**
 * Gives a select these options, keeping its choice when it is still offered (and the element
 * untouched when nothing changed, so an open list is not disturbed).
 * @param {HTMLSelectElement} select
 * @param {[string, string][]} options  value, text
 */
function syncOptions(select, options) {
  const current = [...select.options].map((o) => `${o.value}\n${o.text}`).join('\n\n');
  if (current === options.map(([v, t]) => `${v}\n${t}`).join('\n\n')) return;
  const chosen = select.value;
  select.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}
