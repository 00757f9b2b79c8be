// The Notification widget has nothing to show but where a board's notify goes: its channels
// (docs/protocol.md, Notifications), so that a dashboard says at a glance who gets told.

import { WidgetView, element } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/** @param {unknown} value */
function text(value) {
  return typeof value === 'string' ? value.trim() : '';
}

class NotificationView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    const channels = [];
    if (widget.webConsole !== false) channels.push('console pages');
    const mail = text(widget.emailTo);
    if (mail) channels.push(`mail to ${mail}`);
    if (text(widget.webhookUrl)) channels.push('webhook');
    this.body.append(
      element('span', 'notification__title', 'notifications'),
      element('span', 'notification__channels', channels.length ? channels.join(' · ') : 'no channel on'),
    );
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  NOTIFICATION: (widget, context) => new NotificationView(widget, context),
};
