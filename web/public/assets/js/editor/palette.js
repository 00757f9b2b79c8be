// The widget palette: pick a family, and the settings form opens with a new widget of it
// placed in the first free spot of the grid, on the first device and a free virtual pin.

import { element } from '../widgets/base.js';
import { FAMILIES, newWidget } from './catalog.js';
import { button, openSheet } from './dialog.js';
import { freePlace, freeVirtualPin, freeWidgetId } from './layout.js';
import { widgetForm } from './widget-form.js';

/** @typedef {import('./editor.js').EditorHost} EditorHost */

/**
 * @param {EditorHost} host
 * @param {number} tabId  the tab new widgets go on
 */
export function palette(host, tabId) {
  const dashboard = host.current();
  if (!dashboard) return;
  const sheet = openSheet('Add a widget', 'palette');
  const list = element('div', 'palette__list');
  for (const family of FAMILIES) {
    const item = button(family.title, 'palette__item');
    item.dataset.type = family.type;
    item.append(element('small', 'palette__size', `${family.width}×${family.height}`));
    item.addEventListener('click', () => {
      sheet.close();
      const deviceId = dashboard.devices?.[0]?.id ?? 0;
      const place = freePlace(dashboard, family.width, family.height, tabId);
      const widget = newWidget(family, {
        id: freeWidgetId(dashboard),
        x: place.x,
        y: place.y,
        tabId,
        deviceId,
        pinType: 'VIRTUAL',
        pin: freeVirtualPin(dashboard, deviceId),
      });
      widget.width = place.width;
      widgetForm(host, dashboard, widget, true);
    });
    list.append(item);
  }
  sheet.form.append(list);
}
