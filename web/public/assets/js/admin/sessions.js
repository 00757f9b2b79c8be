// Live sessions: every connected board and app (address, kind, since when, what it runs), each
// with a Disconnect button that asks first.

import { ItemTable, StatusLine, confirmAction, h, runAction, timeAndAgo } from './dom.js';

/** @typedef {import('./api.js').AdminApi} AdminApi */
/** @typedef {import('./api.js').AdminSession} AdminSession */

/** @param {AdminSession} s */
function softwareOf(s) {
  if (s.kind === 'hardware') {
    return [s.firmware && `fw ${s.firmware}`, s.library && `lib ${s.library}`].filter(Boolean).join(' · ');
  }
  return s.os ?? '';
}

/** @param {AdminSession} s */
function whatOf(s) {
  if (s.kind === 'hardware') return s.name ? `${s.name} (${s.device ?? ''})` : s.device ?? '';
  return s.kind === 'shared app' ? 'shared dashboard' : 'app';
}

export class SessionsSection {
  /**
   * @param {AdminApi} api
   * @param {() => Promise<void>} refresh  reloads every list
   */
  constructor(api, refresh) {
    this.api = api;
    this.refresh = refresh;
    this.status = new StatusLine();
    /** @type {ItemTable<AdminSession>} */
    this.table = new ItemTable(
      [
        { label: 'Kind' },
        { label: 'User', className: 'admin-col-main' },
        { label: 'Device' },
        { label: 'Address' },
        { label: 'Since' },
        { label: 'Software' },
        { label: '', className: 'admin-col-actions' },
      ],
      'Nobody is connected.',
      (s) => String(s.id),
      (s) => {
        const close = h('button', 'admin-button admin-button--small admin-button--danger', { type: 'button', 'data-action': 'disconnect' }, ['Disconnect']);
        close.addEventListener('click', () => void this.close(s, close));
        return [
          h('span', `admin-kind admin-kind--${s.kind.replace(' ', '-')}`, {}, [s.kind]),
          h('span', 'admin-email', {}, [s.email]),
          whatOf(s),
          h('span', 'admin-address', { title: s.connection }, [s.address]),
          timeAndAgo(s.since_ms),
          softwareOf(s) || h('span', 'admin-dim', {}, ['—']),
          close,
        ];
      },
      'admin-sessions',
    );
    this.element = h('section', 'admin-section', { id: 'admin-sessions', 'aria-labelledby': 'admin-sessions-title' }, [
      h('h2', '', { id: 'admin-sessions-title' }, ['Live sessions']),
      this.status.element,
      this.table.element,
    ]);
  }

  /**
   * @param {AdminSession} s
   * @param {HTMLButtonElement} button
   */
  async close(s, button) {
    const who = s.kind === 'hardware' ? `the board ${whatOf(s)} of ${s.email}` : `the ${s.kind} session of ${s.email}`;
    const ok = await confirmAction({
      title: 'Disconnect this session?',
      text: `Closes the connection of ${who} from ${s.address}. A board or app usually connects again by itself.`,
      confirm: 'Disconnect',
    });
    if (!ok) return;
    const done = await runAction(button, this.status, 'Disconnecting…', () => this.api.closeSession(s.id));
    if (done) this.status.show(`Disconnected ${who} (${s.address}).`, 'ok');
    await this.refresh();
  }

  /** @param {AdminSession[]} sessions */
  update(sessions) {
    this.table.update(sessions);
  }
}
