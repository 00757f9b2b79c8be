// The admin view: server figures, users, devices and live sessions, reloaded every few seconds
// while the page is visible. Loaded only when an administrator (or someone trying) opens #/admin.

import { AdminApi, AdminApiError } from './api.js';
import { DevicesSection } from './devices.js';
import { h, refreshAgo } from './dom.js';
import { formatLocalTime } from './format.js';
import { OverviewSection } from './overview.js';
import { SessionsSection } from './sessions.js';
import { UsersSection } from './users.js';

/** @typedef {import('../session.js').Credentials} Credentials */

/** How often the lists reload while the view is on screen and the page visible. */
export const REFRESH_MS = 5000;

export class AdminView {
  /**
   * @param {HTMLElement} root  the section the view fills
   * @param {Credentials} credentials
   */
  constructor(root, credentials) {
    this.root = root;
    this.credentials = credentials;
    this.api = new AdminApi(credentials.csrf);
    this.running = false;
    /** Set once the API refused this session: it is not asked again (reload to retry). */
    this.refused = false;
    /** Whether the API has let this session in once (then all lists load at once). */
    this.admitted = false;
    this.timer = 0;
    /** @type {Promise<void> | null} */
    this.loading = null;
    /** @type {Promise<void> | null} */
    this.queued = null;

    const refresh = () => this.refresh();
    this.overview = new OverviewSection();
    this.devices = new DevicesSection(this.api, refresh);
    this.users = new UsersSection(this.api, refresh, (email) => this.devices.showUser(email), credentials.email);
    this.sessions = new SessionsSection(this.api, refresh);

    this.updated = h('span', 'admin-updated', { role: 'status' });
    this.error = h('p', 'admin-error', { role: 'alert' });
    const reload = h('button', 'admin-button', { type: 'button', id: 'admin-reload' }, ['Refresh']);
    reload.addEventListener('click', () => void this.refresh());
    this.content = h('div', 'admin-content', {}, [
      this.overview.element,
      this.users.element,
      this.devices.element,
      this.sessions.element,
    ]);
    this.content.hidden = true;
    this.loadingNote = h('p', 'admin-dim', {}, ['Loading…']);
    this.root.replaceChildren(
      h('div', 'admin-head', {}, [h('h1', '', {}, ['Administration']), this.updated, reload]),
      this.error,
      this.loadingNote,
      this.content,
    );

    this.onVisibility = () => {
      if (!this.running) return;
      if (document.visibilityState === 'visible') void this.refresh();
      else window.clearTimeout(this.timer);
    };
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  /** Starts loading and reloading. */
  start() {
    if (this.running || this.refused) return;
    this.running = true;
    void this.refresh();
  }

  /** Stops reloading (the view is off screen). */
  stop() {
    this.running = false;
    window.clearTimeout(this.timer);
  }

  destroy() {
    this.stop();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.root.replaceChildren();
  }

  /**
   * Reloads every list now. A reload asked for while one runs follows it (an action's effect
   * must show, and the running one may have started before the action).
   * @returns {Promise<void>}
   */
  refresh() {
    if (this.loading) {
      this.queued ??= this.loading.then(() => {
        this.queued = null;
        return this.refresh();
      });
      return this.queued;
    }
    this.loading = this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  async load() {
    window.clearTimeout(this.timer);
    if (!this.admitted) {
      // One request first: a refused session gets one refusal, not four.
      try {
        this.overview.update(await this.api.overview());
        this.admitted = true;
      } catch (error) {
        this.failed([error]);
        return;
      }
    }
    const [overview, users, devices, sessions] = await Promise.allSettled([
      this.api.overview(),
      this.api.users(),
      this.api.devices(),
      this.api.sessions(),
    ]);
    /** @type {unknown[]} */
    const errors = [];
    if (overview.status === 'fulfilled') this.overview.update(overview.value);
    else errors.push(overview.reason);
    if (users.status === 'fulfilled') this.users.update(users.value);
    else errors.push(users.reason);
    if (devices.status === 'fulfilled') {
      this.devices.update(devices.value, users.status === 'fulfilled' ? users.value : this.devices.users);
    } else {
      errors.push(devices.reason);
    }
    if (sessions.status === 'fulfilled') this.sessions.update(sessions.value);
    else errors.push(sessions.reason);

    if (errors.length > 0) {
      this.failed(errors);
      if (!this.running) return;
    } else {
      this.error.textContent = '';
      this.updated.textContent = `updated ${formatLocalTime(Date.now())}`;
    }
    this.loadingNote.hidden = true;
    this.content.hidden = false;
    refreshAgo(this.content);
    this.schedule();
  }

  /**
   * Says why loading failed; a refusal (signed out, not an administrator) replaces the view.
   * @param {unknown[]} errors
   */
  failed(errors) {
    const refusal = errors.find((e) => e instanceof AdminApiError && (e.status === 401 || e.status === 403));
    if (refusal instanceof AdminApiError) {
      this.stop();
      this.refused = true;
      this.refuse(refusal);
      return;
    }
    const texts = [...new Set(errors.map((e) => (e instanceof Error ? e.message : String(e))))];
    this.error.textContent = `Could not load everything: ${texts.join(' ')} Retrying every ${REFRESH_MS / 1000} s.`;
    this.loadingNote.hidden = true;
    this.schedule();
  }

  /** @param {AdminApiError} refusal */
  refuse(refusal) {
    const back = h('a', 'admin-button', { href: '#/' }, ['Back to the dashboards']);
    const body =
      refusal.status === 403
        ? [
            h('h1', '', {}, ['Administrators only']),
            h('p', '', {}, [
              `The server refused the admin pages to ${this.credentials.email} (“${refusal.message}”). `,
              'An administrator can grant them with ',
              h('code', '', {}, [`blynkd user admin ${this.credentials.email} on`]),
              '.',
            ]),
          ]
        : [
            h('h1', '', {}, ['Signed out']),
            h('p', '', {}, [`The server refused: ${refusal.message} Reload the page to sign in again.`]),
          ];
    this.root.replaceChildren(h('div', 'admin-refusal', { role: 'alert', 'data-status': String(refusal.status) }, [...body, back]));
  }

  schedule() {
    window.clearTimeout(this.timer);
    if (!this.running || document.visibilityState !== 'visible') return;
    this.timer = window.setTimeout(() => void this.refresh(), REFRESH_MS);
  }
}
