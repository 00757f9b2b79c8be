// Users: every account with its role, password kind and counts, a form that creates one (the
// browser computes the app password hash, as it does to sign in), and deletion after a
// confirmation (never of the signed-in administrator).

import { appPasswordHash } from '../hash.js';
import { ItemTable, StatusLine, confirmAction, field, h, runAction } from './dom.js';

/** @typedef {import('./api.js').AdminApi} AdminApi */
/** @typedef {import('./api.js').AdminUser} AdminUser */

const PASSWORD_KINDS = { app: 'app hash', old: 'clear (old)', none: 'none' };

export class UsersSection {
  /**
   * @param {AdminApi} api
   * @param {() => Promise<void>} refresh  reloads every list
   * @param {(email: string) => void} showDevicesOf  filters the device list to a user's
   * @param {string} self  the signed-in administrator, who cannot be deleted here
   */
  constructor(api, refresh, showDevicesOf, self) {
    this.api = api;
    this.refresh = refresh;
    this.listStatus = new StatusLine();
    /** @type {ItemTable<AdminUser>} */
    this.table = new ItemTable(
      [
        { label: 'E-mail', className: 'admin-col-main' },
        { label: 'Role' },
        { label: 'Password' },
        { label: 'Dashboards', className: 'admin-col-number' },
        { label: 'Devices online', className: 'admin-col-number' },
        { label: 'App sessions', className: 'admin-col-number' },
        { label: '', className: 'admin-col-actions' },
      ],
      'No users yet.',
      (u) => u.email,
      (u) => {
        const devices = h('button', 'admin-button admin-button--small', { type: 'button', 'data-action': 'show-devices' }, ['Devices']);
        devices.addEventListener('click', () => showDevicesOf(u.email));
        const remove = h('button', 'admin-button admin-button--small admin-button--danger', { type: 'button', 'data-action': 'delete-user' }, ['Delete']);
        remove.addEventListener('click', () => void this.remove(u, remove));
        const actions = h('span', 'admin-actions', {}, [u.devices > 0 ? devices : '', u.email === self ? '' : remove]);
        return [
          h('span', 'admin-email', {}, [u.email]),
          u.admin ? h('span', 'admin-badge', {}, ['administrator']) : 'user',
          PASSWORD_KINDS[u.password] ?? u.password,
          String(u.dashboards),
          `${u.devices_online} / ${u.devices}`,
          String(u.app_sessions),
          actions,
        ];
      },
      'admin-users',
    );

    this.email = h('input', '', { id: 'admin-new-email', type: 'email', autocomplete: 'off', required: true });
    this.password = h('input', '', { id: 'admin-new-password', type: 'password', autocomplete: 'new-password', required: true });
    this.admin = h('input', '', { id: 'admin-new-admin', type: 'checkbox' });
    this.submit = h('button', 'admin-button admin-button--primary', { type: 'submit' }, ['Create user']);
    this.status = new StatusLine();
    const form = h('form', 'admin-form', { id: 'admin-create-user' }, [
      h('h3', '', {}, ['Add a user']),
      field('E-mail', this.email),
      field('Password', this.password),
      h('div', 'admin-field admin-field--check', {}, [this.admin, h('label', '', { for: this.admin.id }, ['Administrator'])]),
      h('div', 'admin-form__buttons', {}, [this.submit]),
      this.status.element,
    ]);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });

    this.element = h('section', 'admin-section', { id: 'admin-users', 'aria-labelledby': 'admin-users-title' }, [
      h('h2', '', { id: 'admin-users-title' }, ['Users']),
      this.table.element,
      this.listStatus.element,
      form,
    ]);
  }

  async create() {
    const email = this.email.value.trim();
    const password = this.password.value;
    const admin = this.admin.checked;
    const done = await runAction(this.submit, this.status, 'Creating…', async () => {
      const hash = await appPasswordHash(email, password);
      const made = await this.api.createUser(email, hash, admin);
      this.status.show(`Created ${made.admin ? 'administrator' : 'user'} ${made.email}: they sign in with that password in the app or here.`, 'ok');
    });
    if (!done) return;
    this.email.value = '';
    this.password.value = '';
    this.admin.checked = false;
    await this.refresh();
  }

  /**
   * @param {AdminUser} u
   * @param {HTMLButtonElement} button
   */
  async remove(u, button) {
    const ok = await confirmAction({
      title: `Delete ${u.email}?`,
      text: `The account is deleted with its ${u.dashboards} dashboard(s), ${u.devices} device(s), their tokens and stored values; its boards and apps are disconnected. This cannot be undone.`,
      confirm: 'Delete user',
    });
    if (!ok) return;
    const done = await runAction(button, this.listStatus, `Deleting ${u.email}…`, () => this.api.deleteUser(u.email));
    if (done) this.listStatus.show(`Deleted ${u.email}.`, 'ok');
    await this.refresh();
  }

  /** @param {AdminUser[]} users */
  update(users) {
    this.table.update(users);
  }
}
