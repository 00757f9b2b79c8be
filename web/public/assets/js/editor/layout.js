// Facts about a dashboard the editor needs: free places on the 8-column grid, free ids and
// pins, and where a widget of any shape keeps its device and pin.

import { GRID_COLUMNS } from '../dashboard.js';

/** @typedef {import('../profile.js').Widget} Widget */
/** @typedef {import('../profile.js').Dashboard} Dashboard */
/** @typedef {{ x: number, y: number, width: number, height: number }} Rect */

/** Widgets that are not placed on the grid (the Tabs bar). */
const OFF_GRID = new Set(['TABS']);

/** The app keeps ids in Java ints in places (and blynkd parses them so): stay below 2^31. */
const MAX_ID = 0x7fffffff;

/**
 * @param {Rect} a
 * @param {Rect} b
 */
function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The widgets sharing the grid with `tabId` (every widget when the dashboard has no tabs).
 * @param {Dashboard} dashboard
 * @param {number} tabId
 */
function placed(dashboard, tabId) {
  const widgets = dashboard.widgets ?? [];
  const tabbed = widgets.some((w) => w.type === 'TABS');
  return widgets.filter((w) => !OFF_GRID.has(w.type) && (!tabbed || (w.tabId ?? 0) === tabId));
}

/**
 * True when `rect` is inside the grid's columns and covers none of the other widgets.
 * @param {Dashboard} dashboard
 * @param {Rect} rect
 * @param {number} tabId
 * @param {number} [ignoreId]  the widget being moved
 */
export function fits(dashboard, rect, tabId, ignoreId) {
  if (rect.x < 0 || rect.y < 0 || rect.width < 1 || rect.height < 1) return false;
  if (rect.x + rect.width > GRID_COLUMNS) return false;
  return placed(dashboard, tabId).every((w) => w.id === ignoreId || !overlaps(rect, w));
}

/**
 * The first free place for a widget of this size, scanning rows from the top.
 * @param {Dashboard} dashboard
 * @param {number} width
 * @param {number} height
 * @param {number} tabId
 */
export function freePlace(dashboard, width, height, tabId) {
  const w = Math.min(width, GRID_COLUMNS);
  for (let y = 0; ; y++) {
    for (let x = 0; x + w <= GRID_COLUMNS; x++) {
      if (fits(dashboard, { x, y, width: w, height }, tabId)) return { x, y, width: w, height };
    }
  }
}

/**
 * The smallest id no widget of the dashboard has.
 * @param {Dashboard} dashboard
 */
export function freeWidgetId(dashboard) {
  const used = new Set((dashboard.widgets ?? []).map((w) => w.id));
  let id = 1;
  while (used.has(id) && id < MAX_ID) id++;
  return id;
}

/**
 * The smallest id not in `ids` (devices count from 0, as in the app; dashboards from 1).
 * @param {number[]} ids
 * @param {number} first
 */
export function freeId(ids, first) {
  const used = new Set(ids);
  let id = first;
  while (used.has(id)) id++;
  return id;
}

/**
 * A widget's device and pin, whatever its shape: one pin, the first of "pins", or the first
 * chart stream. pin -1 means not bound.
 * @param {Widget} widget
 * @returns {{ deviceId: number, pinType: string, pin: number }}
 */
export function bindingOf(widget) {
  if (Array.isArray(widget.pins)) {
    const stream = widget.pins[0] ?? {};
    return { deviceId: widget.deviceId ?? 0, pinType: stream.pinType ?? 'VIRTUAL', pin: stream.pin ?? -1 };
  }
  if (Array.isArray(widget.dataStreams)) {
    const graph = widget.dataStreams[0] ?? {};
    const stream = graph.pin ?? graph.dataStream ?? {};
    return { deviceId: graph.targetId ?? 0, pinType: stream.pinType ?? 'VIRTUAL', pin: stream.pin ?? -1 };
  }
  return { deviceId: widget.deviceId ?? 0, pinType: widget.pinType ?? 'VIRTUAL', pin: widget.pin ?? -1 };
}

/**
 * Binds `widget` (a copy, changed in place) to a device and pin. Every stream of a multi-pin
 * widget gets the pin (the merged mode, where one pin carries all values). A stored value of
 * the old pin is dropped: it is not the new pin's.
 * @param {Widget} widget
 * @param {{ deviceId: number, pinType: string, pin: number }} binding
 */
export function bind(widget, { deviceId, pinType, pin }) {
  const old = bindingOf(widget);
  const changed = old.deviceId !== deviceId || old.pinType !== pinType || old.pin !== pin;
  if (Array.isArray(widget.pins)) {
    widget.deviceId = deviceId;
    for (const stream of widget.pins) {
      stream.pinType = pinType;
      stream.pin = pin;
      if (changed) delete stream.value;
    }
  } else if (Array.isArray(widget.dataStreams)) {
    for (const graph of widget.dataStreams) {
      graph.targetId = deviceId;
      const key = graph.pin || !graph.dataStream ? 'pin' : 'dataStream';
      graph[key] = { ...(graph[key] ?? {}), pinType, pin };
      if (changed) delete graph[key].value;
    }
  } else {
    widget.deviceId = deviceId;
    widget.pinType = pinType;
    widget.pin = pin;
    if (changed) delete widget.value;
  }
}

/**
 * The first virtual pin no widget of the device uses yet (V0 when none is).
 * @param {Dashboard} dashboard
 * @param {number} deviceId
 */
export function freeVirtualPin(dashboard, deviceId) {
  const used = new Set();
  for (const widget of dashboard.widgets ?? []) {
    const b = bindingOf(widget);
    if (b.deviceId === deviceId && b.pinType === 'VIRTUAL') used.add(b.pin);
  }
  let pin = 0;
  while (used.has(pin) && pin < 255) pin++;
  return pin;
}
