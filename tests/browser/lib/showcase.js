'use strict';
// A dashboard with one widget of every family the console draws (and one it does not), as the
// legacy app stores them, laid out on the app's 8-column grid.

function showcaseWidgets(deviceId) {
  const pin = (type, number) => ({ deviceId, pinType: type, pin: number });
  let id = 1;
  const w = (type, x, y, width, height, fields) => ({ type, id: id++, x, y, width, height, ...fields });
  return [
    w('BUTTON', 0, 0, 2, 2, { ...pin('DIGITAL', 13), label: 'Lamp', pushMode: false, min: 0, max: 1 }),
    w('DIGIT4_DISPLAY', 2, 0, 2, 1, { ...pin('VIRTUAL', 5), label: 'Temperature', min: 0, max: 50 }),
    w('LED', 2, 1, 1, 1, { ...pin('VIRTUAL', 8), label: 'LED', color: 0x23c48eff | 0 }),
    w('STEP', 3, 1, 1, 1, { ...pin('VIRTUAL', 18), label: 'Step', min: 0, max: 10, step: 1 }),
    w('GAUGE', 4, 0, 4, 3, { ...pin('VIRTUAL', 7), label: 'Gauge', min: 0, max: 1023 }),
    w('STYLED_BUTTON', 0, 2, 2, 1, {
      ...pin('VIRTUAL', 20), label: 'Styled', pushMode: true, min: 0, max: 1,
      onButtonState: { text: 'PUSHED', textColor: -1, backgroundColor: 0x04c0f8ff | 0 },
      offButtonState: { text: 'PUSH', textColor: 0x04c0f8ff | 0, backgroundColor: 0 },
      edge: 'PILL', buttonStyle: 'OUTLINE',
    }),
    w('SWITCH', 2, 2, 2, 1, { ...pin('VIRTUAL', 21), label: 'Switch', onLabel: 'heating', offLabel: 'idle' }),
    w('SLIDER', 0, 3, 8, 1, { ...pin('VIRTUAL', 6), label: 'Slider', min: 0, max: 255 }),
    w('LABELED_VALUE_DISPLAY', 0, 4, 4, 1, { ...pin('VIRTUAL', 9), label: 'Labeled', valueFormatting: 'Soil /pin.#/ %' }),
    w('SEGMENTED_CONTROL', 4, 4, 4, 1, { ...pin('VIRTUAL', 11), label: 'Mode', labels: ['Off', 'Auto', 'On'] }),
    w('LEVEL_DISPLAY', 0, 5, 4, 1, { ...pin('VIRTUAL', 19), label: 'Level', min: 0, max: 1023 }),
    w('MENU', 4, 5, 4, 1, { ...pin('VIRTUAL', 12), label: 'Menu', labels: ['Tomatoes', 'Basil', 'Peppers'] }),
    w('ENHANCED_GRAPH', 0, 6, 8, 3, {
      label: 'Chart',
      dataStreams: [{ title: 'V5 live', graphType: 'LINE', color: 0xed9d00ff | 0, targetId: deviceId, pin: pin('VIRTUAL', 5) }],
    }),
    w('RGB', 0, 9, 2, 2, { deviceId, label: 'zeRGBa', splitMode: false, pins: [pin('VIRTUAL', 14), pin('VIRTUAL', 14), pin('VIRTUAL', 14)] }),
    w('TWO_AXIS_JOYSTICK', 2, 9, 3, 3, { deviceId, label: 'Joystick', split: false, autoReturnOn: true, pins: [pin('VIRTUAL', 15), pin('VIRTUAL', 15)] }),
    w('VERTICAL_SLIDER', 5, 9, 1, 3, { ...pin('VIRTUAL', 22), label: 'V', min: 0, max: 100 }),
    w('VERTICAL_LEVEL_DISPLAY', 6, 9, 1, 3, { ...pin('VIRTUAL', 19), label: 'Lvl', min: 0, max: 1023 }),
    w('MAP', 7, 9, 1, 3, { label: 'Map' }),
    w('VIDEO', 0, 11, 2, 1, { ...pin('VIRTUAL', 23), label: 'Video', url: 'rtsp://camera.local/stream' }),
    w('LCD', 0, 12, 4, 2, { deviceId, label: 'LCD', advancedMode: true, pins: [pin('VIRTUAL', 17)] }),
    w('TABLE', 4, 12, 4, 2, { ...pin('VIRTUAL', 16), label: 'Table', columns: [{ name: 'Name' }, { name: 'Value' }] }),
    w('TERMINAL', 0, 14, 8, 3, { ...pin('VIRTUAL', 10), label: 'Terminal', terminalInputOn: true, autoScrollOn: true }),
    w('IMAGE', 0, 17, 2, 2, { ...pin('VIRTUAL', 24), label: 'Image', urls: ['/assets/icon.svg'], scaling: 'FIT' }),
  ];
}

module.exports = { showcaseWidgets };
