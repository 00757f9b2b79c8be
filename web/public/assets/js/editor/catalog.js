// The widgets the editor can add, with the JSON a new one starts from. Field names and values
// are the legacy app's, so a dashboard built here opens in the app: one-pin widgets carry
// deviceId, pinType, pin, pwmMode, rangeMappingOn, min and max; multi-pin widgets (zeRGBa,
// Joystick, LCD) a "pins" array of such streams; the SuperChart a "dataStreams" array whose
// entries name their device in "targetId" and their pin in "pin".

/** @typedef {import('../profile.js').Widget} Widget */

/** The app's default widget colour, its green 0x23C48EFF as the signed int it stores. */
export const DEFAULT_COLOR = 0x23c48eff | 0;

/**
 * Which settings the widget form offers for a type.
 * @typedef {'pin' | 'range' | 'mode' | 'onOff' | 'labels' | 'url' | 'urls' | 'step' | 'channels'} FormField
 */

/**
 * @typedef {object} Family
 * @property {string} type    the app's widget type
 * @property {string} title   what the palette calls it
 * @property {number} width   default size in grid cells
 * @property {number} height
 * @property {FormField[]} fields
 * @property {'one' | 'pins' | 'chart' | 'none'} shape  where the pin lives in the JSON
 * @property {number} [streams]  how many entries "pins" has (multi-pin widgets)
 * @property {Record<string, unknown>} extra  type-specific fields of a new widget
 * @property {[number, number]} [range]  default min and max
 */

/** @type {Family[]} */
export const FAMILIES = [
  {
    type: 'BUTTON', title: 'Button', width: 2, height: 2, shape: 'one', range: [0, 1],
    fields: ['pin', 'range', 'mode', 'onOff'], extra: { pushMode: false },
  },
  {
    type: 'STYLED_BUTTON', title: 'Styled Button', width: 2, height: 1, shape: 'one', range: [0, 1],
    fields: ['pin', 'range', 'mode', 'onOff'],
    extra: {
      pushMode: false,
      onButtonState: { text: 'ON', textColor: -1, backgroundColor: DEFAULT_COLOR },
      offButtonState: { text: 'OFF', textColor: DEFAULT_COLOR, backgroundColor: 0 },
      edge: 'ROUNDED',
      buttonStyle: 'SOLID',
    },
  },
  {
    type: 'SWITCH', title: 'Switch', width: 2, height: 1, shape: 'one', range: [0, 1],
    fields: ['pin', 'range', 'onOff'], extra: {},
  },
  {
    type: 'SLIDER', title: 'Slider', width: 8, height: 1, shape: 'one', range: [0, 255],
    fields: ['pin', 'range'], extra: { sendOnReleaseOn: false, maximumFractionDigits: 0, showValueOn: true },
  },
  {
    type: 'VERTICAL_SLIDER', title: 'Vertical Slider', width: 1, height: 3, shape: 'one', range: [0, 255],
    fields: ['pin', 'range'], extra: { sendOnReleaseOn: false, maximumFractionDigits: 0, showValueOn: true },
  },
  {
    type: 'STEP', title: 'Step', width: 2, height: 1, shape: 'one', range: [0, 10],
    fields: ['pin', 'range', 'step'], extra: { step: 1, isArrowsOn: false, isLoopOn: false, isSendStep: false, showValueOn: true },
  },
  {
    type: 'VERTICAL_STEP', title: 'Vertical Step', width: 1, height: 2, shape: 'one', range: [0, 10],
    fields: ['pin', 'range', 'step'], extra: { step: 1, isArrowsOn: false, isLoopOn: false, isSendStep: false, showValueOn: true },
  },
  {
    type: 'DIGIT4_DISPLAY', title: 'Value Display', width: 2, height: 1, shape: 'one', range: [0, 1023],
    fields: ['pin', 'range'], extra: { frequency: 0 },
  },
  {
    type: 'LABELED_VALUE_DISPLAY', title: 'Labeled Value', width: 4, height: 1, shape: 'one', range: [0, 1023],
    fields: ['pin', 'range'], extra: { frequency: 0, valueFormatting: '/pin/' },
  },
  {
    type: 'LED', title: 'LED', width: 1, height: 1, shape: 'one', range: [0, 255],
    fields: ['pin', 'range'], extra: {},
  },
  {
    type: 'GAUGE', title: 'Gauge', width: 4, height: 3, shape: 'one', range: [0, 1023],
    fields: ['pin', 'range'], extra: { frequency: 0 },
  },
  {
    type: 'LEVEL_DISPLAY', title: 'Level', width: 4, height: 1, shape: 'one', range: [0, 1023],
    fields: ['pin', 'range'], extra: { frequency: 0, isAxisFlipOn: false, showValueOn: true },
  },
  {
    type: 'VERTICAL_LEVEL_DISPLAY', title: 'Vertical Level', width: 1, height: 3, shape: 'one', range: [0, 1023],
    fields: ['pin', 'range'], extra: { frequency: 0, isAxisFlipOn: false, showValueOn: true },
  },
  {
    type: 'TERMINAL', title: 'Terminal', width: 8, height: 3, shape: 'one',
    fields: ['pin'], extra: { autoScrollOn: true, terminalInputOn: true, textLightOn: false, attachNewLine: true },
  },
  {
    type: 'LCD', title: 'LCD', width: 4, height: 2, shape: 'pins', streams: 1, range: [0, 1023],
    fields: ['pin'], extra: { advancedMode: true, textLight: false, frequency: 0 },
  },
  {
    type: 'MENU', title: 'Menu', width: 4, height: 1, shape: 'one',
    fields: ['pin', 'labels'], extra: { labels: ['Item 1', 'Item 2', 'Item 3'], hint: 'Select' },
  },
  {
    type: 'SEGMENTED_CONTROL', title: 'Segmented Switch', width: 4, height: 1, shape: 'one',
    fields: ['pin', 'labels'], extra: { labels: ['Off', 'On'] },
  },
  {
    type: 'RGB', title: 'zeRGBa', width: 2, height: 2, shape: 'pins', streams: 3, range: [0, 255],
    fields: ['pin'], extra: { splitMode: false, sendOnReleaseOn: false, frequency: 0 },
  },
  {
    type: 'TWO_AXIS_JOYSTICK', title: 'Joystick', width: 3, height: 3, shape: 'pins', streams: 2, range: [0, 255],
    fields: ['pin'], extra: { split: false, autoReturnOn: true, portraitLocked: false, frequency: 0 },
  },
  {
    type: 'TABLE', title: 'Table', width: 8, height: 4, shape: 'one',
    fields: ['pin'], extra: { columns: [{ name: 'Name' }, { name: 'Value' }], isReoderingAllowed: false, isClickableRows: true },
  },
  {
    type: 'IMAGE', title: 'Image', width: 4, height: 3, shape: 'one',
    fields: ['pin', 'urls'], extra: { source: 'URL', scaling: 'FIT', urls: [], opacity: 100, scale: 100, rotation: 0 },
  },
  {
    type: 'VIDEO', title: 'Video', width: 4, height: 3, shape: 'one',
    fields: ['pin', 'url'], extra: { url: '' },
  },
  {
    type: 'ENHANCED_GRAPH', title: 'SuperChart', width: 8, height: 3, shape: 'chart', range: [0, 1023],
    fields: ['pin'],
    extra: { period: 'LIVE', showLegend: true, showTitle: true, overrideYAxis: false, yAxisMin: 0, yAxisMax: 0 },
  },
  {
    // The app's fields, and blynkd's channels (docs/protocol.md, Notifications).
    type: 'NOTIFICATION', title: 'Notification', width: 2, height: 1, shape: 'none',
    fields: ['channels'],
    extra: { notifyWhenOffline: false, priority: 'normal', webConsole: true, emailTo: '', webhookUrl: '' },
  },
];

/** @param {string} type */
export function familyOf(type) {
  return FAMILIES.find((f) => f.type === type) ?? null;
}

/**
 * A pin stream as the app stores it ("pins" entries, a chart stream's "pin").
 * @param {string} pinType
 * @param {number} pin
 * @param {[number, number]} range
 */
export function pinStream(pinType, pin, range) {
  return { pin, pinType, pwmMode: false, rangeMappingOn: false, min: range[0], max: range[1] };
}

/**
 * A new widget of `family` at x, y, bound to `deviceId` and the pin given.
 * @param {Family} family
 * @param {{ id: number, x: number, y: number, tabId: number, deviceId: number, pinType: string, pin: number }} at
 * @returns {Widget}
 */
export function newWidget(family, { id, x, y, tabId, deviceId, pinType, pin }) {
  const range = family.range ?? [0, 255];
  /** @type {Widget} */
  const widget = {
    type: family.type,
    id,
    x,
    y,
    width: family.width,
    height: family.height,
    tabId,
    label: family.title,
    color: DEFAULT_COLOR,
    isDefaultColor: false,
    // A fresh copy of the family's fields, so no two widgets share an array or an object.
    ...structuredClone(family.extra),
  };
  switch (family.shape) {
    case 'one':
      Object.assign(widget, { deviceId, pinType, pin, pwmMode: false, rangeMappingOn: false, min: range[0], max: range[1] });
      break;
    case 'pins':
      widget.deviceId = deviceId;
      widget.pins = Array.from({ length: family.streams ?? 1 }, () => pinStream(pinType, pin, range));
      break;
    case 'chart':
      widget.dataStreams = [
        {
          title: `${pinType[0]}${pin}`,
          graphType: 'LINE',
          color: DEFAULT_COLOR,
          targetId: deviceId,
          pin: pinStream(pinType, pin, range),
          functionType: 'AVG',
          showYAxis: true,
          connectMissingPointsEnabled: true,
          maximumFractionDigits: 1,
        },
      ];
      break;
    default:
      break;
  }
  return widget;
}
