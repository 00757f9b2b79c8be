// One dashboard on screen: its widgets on the app's grid (8 columns; a widget's x, y, width and
// height count cells), its devices' online state, and the live values routed to the widgets.
// Values are taken as they come and drawn once per animation frame, so a flood of writes costs
// one layout per frame, not one per message.

import { pinKey, pinLetter } from './profile.js';
import { element } from './widgets/base.js';
import { readHistory } from './widgets/chart_history.js';
import { createView } from './widgets/index.js';

/** @typedef {import('./profile.js').Dashboard} Dashboard */
/** @typedef {import('./profile.js').Device} Device */
/** @typedef {import('./profile.js').Widget} Widget */
/** @typedef {import('./profile.js').PinBinding} PinBinding */
/** @typedef {import('./widgets/base.js').WidgetView} WidgetView */

/** The app lays widgets out on a grid this many cells wide. */
export const GRID_COLUMNS = 8;

/**
 * @typedef {object} PinWriter
 * @property {(dashId: number, deviceId: number, operation: string, pin: number, values: string[]) => void} writePin
 */

export class DashboardView {
  /**
   * @param {HTMLElement} container  emptied and filled with this dashboard
   * @param {Dashboard} dashboard
   * @param {PinWriter} writer
   */
  constructor(container, dashboard, writer) {
    this.dashboard = dashboard;
    this.writer = writer;
    /** @type {Map<string, { view: WidgetView, index: number }[]>} who shows each device pin */
    this.routes = new Map();
    /** @type {Set<WidgetView>} views to draw on the next frame */
    this.dirty = new Set();
    this.frame = 0;
    /** @type {Map<number, boolean>} */
    this.online = new Map((dashboard.devices ?? []).map((d) => [d.id, d.status === 'ONLINE']));
    /** @type {Map<number, HTMLElement>} */
    this.deviceChips = new Map();
    /** @type {{ view: WidgetView, tabId: number }[]} */
    this.views = [];
    this.currentTab = 0;

    this.devicesElement = element('ul', 'devices');
    this.devicesElement.setAttribute('aria-label', 'devices');
    this.grid = element('div', 'grid');
    this.tabBar = null;
    const widgets = dashboard.widgets ?? [];
    for (const widget of widgets) {
      if (widget.type === 'TABS') this.tabBar = this.buildTabs(widget);
      else this.addWidget(widget);
    }
    this.drawDevices();
    if (widgets.length === 0) {
      this.grid.append(element('p', 'empty', 'This dashboard has no widgets yet.'));
    }
    container.replaceChildren(this.devicesElement, ...(this.tabBar ? [this.tabBar] : []), this.grid);
    this.showTab(0);
    this.refreshOnline();
  }

  /** @param {Widget} widget */
  addWidget(widget) {
    const view = createView(widget, {
      write: (binding, values) => this.write(view, binding, values),
      invalidate: (v) => this.invalidate(v),
      history: (binding, from, to) => this.history(binding, from, to),
    });
    place(view.element, widget);
    this.grid.append(view.element);
    this.views.push({ view, tabId: typeof widget.tabId === 'number' ? widget.tabId : 0 });
    for (const binding of view.bindings) {
      const key = pinKey(binding.deviceId, /** @type {string} */ (pinLetter(binding.pinType)), binding.pin);
      const routes = this.routes.get(key) ?? [];
      routes.push({ view, index: binding.index });
      this.routes.set(key, routes);
    }
    // The profile carries each widget's last value; ACTIVATE replays them too, but the page
    // should not show blanks until then.
    if (Array.isArray(widget.pins)) {
      widget.pins.forEach((stream, index) => {
        if (typeof stream.value === 'string') view.accept(index, stream.value.split('\0'), true);
      });
    } else if (typeof widget.value === 'string') {
      view.accept(0, widget.value.split('\0'), true);
    }
    this.invalidate(view);
  }

  /**
   * The Tabs widget becomes a tab bar; the other widgets show on the tab their tabId names.
   * @param {Widget} widget
   */
  buildTabs(widget) {
    const bar = element('nav', 'tabs');
    bar.setAttribute('role', 'tablist');
    /** @type {{ id?: number, label?: string }[]} */
    const tabs = Array.isArray(widget.tabs) ? widget.tabs : [];
    for (const tab of tabs) {
      const button = /** @type {HTMLButtonElement} */ (element('button', 'tabs__tab', tab.label ?? ''));
      button.type = 'button';
      button.setAttribute('role', 'tab');
      button.dataset.tabId = String(tab.id ?? 0);
      button.addEventListener('click', () => this.showTab(tab.id ?? 0));
      bar.append(button);
    }
    return bar;
  }

  /** @param {number} tabId */
  showTab(tabId) {
    this.currentTab = tabId;
    for (const { view, tabId: id } of this.views) view.element.hidden = this.tabBar !== null && id !== tabId;
    for (const button of this.tabBar?.querySelectorAll('button') ?? []) {
      button.setAttribute('aria-selected', String(button.dataset.tabId === String(tabId)));
    }
  }

  /**
   * A widget wrote a value: send it, and show it on the other widgets of the same pin (the
   * server echoes writes only to the user's other sessions).
   * @param {WidgetView} source
   * @param {PinBinding} binding
   * @param {string[]} values
   */
  write(source, binding, values) {
    const letter = /** @type {string} */ (pinLetter(binding.pinType));
    this.writer.writePin(this.dashboard.id, binding.deviceId, `${letter}w`, binding.pin, values);
    for (const route of this.routes.get(pinKey(binding.deviceId, letter, binding.pin)) ?? []) {
      if (route.view !== source) route.view.receive(route.index, values);
    }
  }

  /**
   * Stored values of a widget's pin, read with its device's token (the owner's profile has it).
   * @param {PinBinding} binding
   * @param {number} from
   * @param {number} to
   */
  history(binding, from, to) {
    const token = this.dashboard.devices?.find((d) => d.id === binding.deviceId)?.token;
    if (!token) return Promise.reject(new Error(`no token for device ${binding.deviceId}`));
    const letter = /** @type {string} */ (pinLetter(binding.pinType));
    return readHistory(token, `${letter}${binding.pin}`, from, to);
  }

  /**
   * A value from the server (a device write, another session's write, or a replay).
   * @param {number} deviceId
   * @param {string} letter  "v", "d" or "a"
   * @param {number} pin
   * @param {string[]} values
   * @param {boolean} replay  a stored value replayed, not a new write
   */
  receivePin(deviceId, letter, pin, values, replay) {
    for (const route of this.routes.get(pinKey(deviceId, letter, pin)) ?? []) {
      route.view.receive(route.index, values, replay);
    }
  }

  /**
   * A property set from hardware; it names a virtual pin.
   * @param {number} deviceId
   * @param {number} pin
   * @param {string} name
   * @param {string} value  several values stay NUL-separated
   */
  receiveProperty(deviceId, pin, name, value) {
    for (const route of this.routes.get(pinKey(deviceId, 'v', pin)) ?? []) {
      route.view.setProperty(name, value);
    }
  }

  /**
   * @param {number} deviceId
   * @param {boolean} online
   */
  setDeviceOnline(deviceId, online) {
    this.online.set(deviceId, online);
    // Kept in the model too, so that a view built again after an edit starts from it.
    const device = this.dashboard.devices?.find((d) => d.id === deviceId);
    if (device) device.status = online ? 'ONLINE' : 'OFFLINE';
    this.drawDevices();
    this.refreshOnline();
  }

  /** Widgets of an offline device are dimmed; their writes would be refused. */
  refreshOnline() {
    for (const { view } of this.views) {
      const deviceId = view.bindings[0]?.deviceId;
      if (deviceId !== undefined) view.setOnline(this.online.get(deviceId) !== false);
    }
  }

  drawDevices() {
    for (const device of this.dashboard.devices ?? []) {
      let chip = this.deviceChips.get(device.id);
      if (!chip) {
        chip = element('li', 'device', device.name || `device ${device.id}`);
        chip.dataset.deviceId = String(device.id);
        this.deviceChips.set(device.id, chip);
        this.devicesElement.append(chip);
      }
      const online = this.online.get(device.id) === true;
      chip.classList.toggle('is-online', online);
      chip.title = online ? 'online' : 'offline';
      chip.setAttribute('aria-label', `${device.name || `device ${device.id}`}: ${online ? 'online' : 'offline'}`);
    }
  }

  /** @param {WidgetView} view */
  invalidate(view) {
    this.dirty.add(view);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    this.frame = 0;
    const views = [...this.dirty];
    this.dirty.clear();
    for (const view of views) view.render();
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.dirty.clear();
    this.routes.clear();
  }
}

/**
 * Puts a widget on the grid; a widget reaching past the last column is pulled back inside.
 * @param {HTMLElement} node
 * @param {Widget} widget
 */
export function place(node, widget) {
  const width = Math.min(GRID_COLUMNS, Math.max(1, widget.width || 1));
  const height = Math.max(1, widget.height || 1);
  const x = Math.min(GRID_COLUMNS - width, Math.max(0, widget.x || 0));
  const y = Math.max(0, widget.y || 0);
  node.style.gridColumn = `${x + 1} / span ${width}`;
  node.style.gridRow = `${y + 1} / span ${height}`;
}
