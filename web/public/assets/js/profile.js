// The dashboards model as the server sends it (the legacy app's JSON), and the few facts the
// page derives from it: which pins a widget shows, and colours.

/**
 * One pin of a multi-pin widget ("pins" in the JSON), or the pin of a chart's data stream.
 * @typedef {object} PinStream
 * @property {number} [pin]
 * @property {string} [pinType]  "VIRTUAL", "DIGITAL" or "ANALOG"
 * @property {string} [value]
 * @property {number} [min]
 * @property {number} [max]
 * @property {string} [label]
 */

/**
 * The fields every widget family reads. Only `type`, `id` and the geometry are always present.
 * @typedef {object} WidgetFields
 * @property {string} type
 * @property {number} id
 * @property {number} x
 * @property {number} y
 * @property {number} width
 * @property {number} height
 * @property {number} [tabId]
 * @property {string} [label]
 * @property {number} [color]
 * @property {number} [deviceId]
 * @property {string} [pinType]
 * @property {number} [pin]
 * @property {number} [min]
 * @property {number} [max]
 * @property {string} [value]
 * @property {PinStream[]} [pins]
 */

/**
 * A widget as stored: the common fields, and type-specific ones that each family reads (unknown
 * fields are kept as they are).
 * @typedef {WidgetFields & Record<string, any>} Widget
 */

/**
 * @typedef {object} Device
 * @property {number} id
 * @property {string} [name]
 * @property {string} [boardType]
 * @property {string} [connectionType]  "WI_FI", "ETHERNET", "USB", …
 * @property {string} [token]  the device's auth token (in the owner's own profile)
 * @property {string} [status]  "ONLINE" or "OFFLINE"
 */

/**
 * @typedef {object} Dashboard
 * @property {number} id
 * @property {string} [name]
 * @property {boolean} [isActive]
 * @property {Widget[]} [widgets]
 * @property {Device[]} [devices]
 */

/**
 * A pin a widget shows: `index` says which of the widget's streams it is (0 for one-pin widgets).
 * @typedef {{ deviceId: number, pinType: string, pin: number, index: number }} PinBinding
 */

/** Device ids at or above this are tags and device selectors, which the console does not resolve yet. */
const FIRST_TAG_ID = 100000;

/**
 * @param {unknown} json
 * @returns {Dashboard[]}
 */
export function dashboardsOf(json) {
  const profile = /** @type {{ dashBoards?: unknown }} */ (json ?? {});
  return Array.isArray(profile.dashBoards) ? profile.dashBoards : [];
}

/**
 * The single-letter pin type the wire uses ("v", "d", "a"), or null for an unknown type.
 * @param {string | undefined} pinType
 */
export function pinLetter(pinType) {
  switch (pinType) {
    case 'VIRTUAL':
      return 'v';
    case 'DIGITAL':
      return 'd';
    case 'ANALOG':
      return 'a';
    default:
      return null;
  }
}

/**
 * The key under which live values for one device pin are routed.
 * @param {number} deviceId
 * @param {string} letter  "v", "d" or "a"
 * @param {number} pin
 */
export function pinKey(deviceId, letter, pin) {
  return `${deviceId}:${letter}${pin}`;
}

/**
 * @param {number} deviceId
 * @param {PinStream | Widget | undefined} stream
 * @param {number} index
 * @returns {PinBinding | null}
 */
function binding(deviceId, stream, index) {
  if (!stream || typeof stream.pin !== 'number' || stream.pin < 0) return null;
  if (!pinLetter(stream.pinType) || deviceId >= FIRST_TAG_ID) return null;
  return { deviceId, pinType: /** @type {string} */ (stream.pinType), pin: stream.pin, index };
}

/**
 * Every pin the widget shows or writes, whatever its shape: one pin, a "pins" array, or a
 * chart's data streams (each with its own device, "targetId").
 * @param {Widget} widget
 * @returns {PinBinding[]}
 */
export function bindingsOf(widget) {
  const deviceId = widget.deviceId ?? 0;
  /** @type {(PinBinding | null)[]} */
  let found;
  if (Array.isArray(widget.pins)) {
    found = widget.pins.map((stream, index) => binding(deviceId, stream, index));
  } else if (Array.isArray(widget.dataStreams)) {
    // The app stores a chart stream's pin under "pin" (earlier console builds wrote "dataStream").
    found = widget.dataStreams.map(
      (
        /** @type {{ targetId?: number, pin?: PinStream, dataStream?: PinStream }} */ graph,
        /** @type {number} */ index,
      ) => binding(graph.targetId ?? 0, graph.pin ?? graph.dataStream, index),
    );
  } else {
    found = [binding(deviceId, widget, 0)];
  }
  return found.filter((b) => b !== null);
}

/**
 * The stored value of one of the widget's streams, split into its NUL-separated parts.
 * @param {Widget} widget
 * @param {number} index
 * @returns {string[] | null}
 */
export function storedValue(widget, index) {
  const value = Array.isArray(widget.pins) ? widget.pins[index]?.value : widget.value;
  return typeof value === 'string' ? value.split('\0') : null;
}

/**
 * CSS for the app's colours: a signed 32-bit 0xRRGGBBAA. Zero (unset) gives the fallback.
 * @param {number | undefined} color
 * @param {string} fallback
 */
export function cssColor(color, fallback) {
  if (typeof color !== 'number' || color === 0) return fallback;
  const rgba = color >>> 0;
  const alpha = (rgba & 0xff) / 255;
  return `rgba(${rgba >>> 24}, ${(rgba >>> 16) & 0xff}, ${(rgba >>> 8) & 0xff}, ${alpha.toFixed(3)})`;
}

/**
 * The colour a hardware "color" property names: "#RRGGBB", "#RRGGBBAA" or "0x…"; null when
 * it is none of these.
 * @param {string} text
 */
export function cssColorFromProperty(text) {
  const hex = text.trim().replace(/^(#|0x)/i, '');
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(hex)) return null;
  return `#${hex}`;
}
