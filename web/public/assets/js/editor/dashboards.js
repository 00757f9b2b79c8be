// Dashboards: create (CREATE_DASH), rename (UPDATE_PROJECT_SETTINGS) and delete (DELETE_DASH).

import { element } from '../widgets/base.js';
import { button, confirmThen, field, input, openSheet, run, submitButton } from './dialog.js';
import { freeId } from './layout.js';

/** @typedef {import('./editor.js').EditorHost} EditorHost */
/** @typedef {import('../profile.js').Dashboard} Dashboard */

/** The app caps names at this length. */
const MAX_NAME = 50;

/**
 * @param {string} value
 */
function nameInput(value) {
  const node = input('name', value);
  node.required = true;
  node.maxLength = MAX_NAME;
  node.autocomplete = 'off';
  return node;
}

/**
 * Asks for a name and creates an empty dashboard with the first free id; shows it once the
 * server has it.
 * @param {EditorHost} host
 */
export function createDashboard(host) {
  const name = nameInput(`Dashboard ${host.dashboards().length + 1}`);
  const sheet = openSheet('New dashboard', 'dashboard-form', async (s) => {
    const connection = host.connection();
    if (!connection) return;
    /** @type {Dashboard & Record<string, unknown>} */
    const dashboard = {
      id: freeId(host.dashboards().map((d) => d.id), 1),
      name: name.value.trim(),
      // The app's defaults for a new project.
      theme: 'Blynk',
      keepScreenOn: false,
      isAppConnectedOn: false,
      isNotificationsOff: false,
      isShared: false,
      widgets: [],
      devices: [],
    };
    if (await run(s, () => connection.createDashboard(dashboard))) {
      s.close();
      host.dashboardCreated(dashboard);
    }
  });
  sheet.form.append(field('Name', name));
  submitButton(sheet, 'Create', 'dashboard-form__create');
  name.select();
}

/**
 * @param {EditorHost} host
 * @param {Dashboard} dashboard
 */
export function renameDashboard(host, dashboard) {
  const name = nameInput(dashboard.name ?? '');
  const sheet = openSheet('Rename dashboard', 'dashboard-form', async (s) => {
    const connection = host.connection();
    const newName = name.value.trim();
    if (!connection) return;
    if (await run(s, () => connection.updateDashboardSettings(dashboard.id, { name: newName }))) {
      dashboard.name = newName;
      s.close();
      host.dashboardsChanged();
    }
  });
  sheet.form.append(field('Name', name));
  submitButton(sheet, 'Rename', 'dashboard-form__rename');
  name.select();
}

/**
 * @param {EditorHost} host
 * @param {Dashboard} dashboard
 */
export async function deleteDashboard(host, dashboard) {
  const widgets = dashboard.widgets?.length ?? 0;
  const devices = dashboard.devices?.length ?? 0;
  const deleted = await confirmThen(
    'Delete dashboard',
    `Delete “${dashboard.name || `Dashboard ${dashboard.id}`}” with its ${widgets} widget(s) and ` +
      `${devices} device(s)? Boards using its tokens are disconnected and cannot log in again.`,
    'Delete dashboard',
    async () => {
      const connection = host.connection();
      if (!connection) throw new Error('not connected');
      await connection.deleteDashboard(dashboard.id);
    },
  );
  if (deleted) host.dashboardDeleted(dashboard);
}

/**
 * The dashboard menu: new, rename, delete.
 * @param {EditorHost} host
 */
export function dashboardMenu(host) {
  const dashboard = host.current();
  const sheet = openSheet(dashboard?.name || 'Dashboard', 'dashboard-menu');
  const list = element('div', 'sheet__menu');
  /**
   * @param {string} text
   * @param {string} action
   * @param {() => void} then
   */
  const item = (text, action, then) => {
    const node = button(text, 'sheet__menu-item');
    node.dataset.action = action;
    node.addEventListener('click', () => {
      sheet.close();
      then();
    });
    list.append(node);
  };
  item('New dashboard', 'new', () => createDashboard(host));
  if (dashboard) {
    item('Rename', 'rename', () => renameDashboard(host, dashboard));
    item('Delete dashboard', 'delete', () => void deleteDashboard(host, dashboard));
  }
  sheet.form.append(list);
}
