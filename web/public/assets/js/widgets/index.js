// Which view draws which widget type; any other type gets a labelled placeholder.

import { renderers as buttons } from './buttons.js';
import { renderers as chart } from './chart.js';
import { renderers as choices } from './choices.js';
import { renderers as displays } from './displays.js';
import { renderers as gauge } from './gauge.js';
import { renderers as joystick } from './joystick.js';
import { renderers as lcd } from './lcd.js';
import { renderers as led } from './led.js';
import { renderers as level } from './level.js';
import { renderers as media } from './media.js';
import { renderers as notification } from './notification.js';
import { renderers as sliders } from './sliders.js';
import { renderers as steps } from './steps.js';
import { renderers as table } from './table.js';
import { renderers as terminal } from './terminal.js';
import { renderers as zergba } from './zergba.js';
import { placeholder } from './placeholder.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('./base.js').WidgetView} WidgetView */
/** @typedef {import('../profile.js').Widget} Widget */

/** @type {Map<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
const registry = new Map(
  Object.entries({
    ...buttons, ...chart, ...choices, ...displays, ...gauge, ...joystick, ...lcd, ...led,
    ...level, ...media, ...notification, ...sliders, ...steps, ...table, ...terminal, ...zergba,
  }),
);

/**
 * The view for a widget; a placeholder for a type without one, or when a view cannot be built
 * from this widget's JSON (one odd widget must not take the dashboard down).
 * @param {Widget} widget
 * @param {WidgetContext} context
 * @returns {WidgetView}
 */
export function createView(widget, context) {
  const create = registry.get(widget.type);
  if (create) {
    try {
      return create(widget, context);
    } catch (error) {
      console.warn(`widget ${widget.id} (${widget.type}) could not be drawn`, error);
    }
  }
  return placeholder(widget, context);
}
