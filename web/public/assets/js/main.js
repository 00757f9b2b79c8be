// The page: sign in, connect as an app session, show the chosen dashboard, keep it live, and
// reconnect when the connection drops.

import { DashboardView } from './dashboard.js';
import { Editor } from './editor/editor.js';
import { dashboardsOf } from './profile.js';
import {
  AppConnection,
  Command,
  REPLAY_ID,
  Status,
  StatusError,
  dashboardSocketUrl,
  describeStatus,
} from './protocol.js';
import { currentSession, signIn, signOut } from './session.js';
import { installAdmin } from './admin/index.js';
import { EventLog } from './events.js';
import { NotificationCenter } from './notifications.js';

/** @typedef {import('./session.js').Credentials} Credentials */
/** @typedef {import('./profile.js').Dashboard} Dashboard */
/** @typedef {import('./protocol.js').Frame} Frame */

/** Waits between reconnection attempts grow to this. */
const MAX_RECONNECT_DELAY_MS = 30_000;
/** How long a notice stays on screen. */
const NOTICE_MS = 4000;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`index.html has no #${id}`);
  return node;
}

const ui = {
  signInSection: byId('sign-in', HTMLElement),
  signInForm: byId('sign-in-form', HTMLFormElement),
  signInButton: byId('sign-in-button', HTMLButtonElement),
  signInError: byId('sign-in-error', HTMLElement),
  email: byId('email', HTMLInputElement),
  password: byId('password', HTMLInputElement),
  consoleSection: byId('console', HTMLElement),
  picker: byId('dashboard-picker', HTMLSelectElement),
  editorBar: byId('editor-bar', HTMLElement),
  dashboard: byId('dashboard', HTMLElement),
  connection: byId('connection-state', HTMLElement),
  user: byId('user', HTMLElement),
  signOutButton: byId('sign-out', HTMLButtonElement),
  notice: byId('notice', HTMLElement),
  notifyPermission: byId('notify-permission', HTMLButtonElement),
  eventsButton: byId('events-button', HTMLButtonElement),
  toasts: byId('toasts', HTMLElement),
};

/** The admin view (#/admin) and its top-bar button. */
const admin = installAdmin();
const notifications = new NotificationCenter(ui.notifyPermission, ui.toasts);
const eventLog = new EventLog();

const state = {
  /** @type {Credentials | null} */
  credentials: null,
  /** @type {AppConnection | null} */
  connection: null,
  /** @type {Dashboard[]} */
  dashboards: [],
  /** @type {DashboardView | null} */
  view: null,
  reconnectDelay: 1000,
  reconnectTimer: 0,
  noticeTimer: 0,
};

/** @param {string} text */
function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
  window.clearTimeout(state.noticeTimer);
  state.noticeTimer = window.setTimeout(() => {
    ui.notice.hidden = true;
  }, NOTICE_MS);
}

/** @param {'connecting' | 'online' | 'offline'} connection */
function showConnection(connection) {
  ui.connection.dataset.state = connection;
  ui.connection.textContent = { connecting: 'connecting…', online: 'live', offline: 'reconnecting…' }[connection];
}

/** @param {string} [error] */
function showSignIn(error = '') {
  ui.consoleSection.hidden = true;
  ui.signOutButton.hidden = true;
  ui.picker.hidden = true;
  ui.user.textContent = '';
  ui.connection.textContent = '';
  ui.eventsButton.hidden = true;
  notifications.offerPermission(false);
  ui.signInSection.hidden = false;
  admin.signedOut();
  ui.signInError.textContent = error;
  ui.signInButton.disabled = false;
  ui.email.focus();
}

function showConsole() {
  ui.signInSection.hidden = true;
  ui.consoleSection.hidden = false;
  ui.signOutButton.hidden = false;
  ui.eventsButton.hidden = false;
  notifications.offerPermission(true);
  ui.user.textContent = state.credentials?.email ?? '';
  if (state.credentials) admin.signedIn(state.credentials);
}

/** The dashboard the address names ("#/dashboard/ID"), else the first. */
function chosenDashboard() {
  const match = /^#\/dashboard\/(\d+)$/.exec(location.hash);
  const id = match ? Number(match[1]) : NaN;
  return state.dashboards.find((d) => d.id === id) ?? state.dashboards[0] ?? null;
}

function fillPicker() {
  ui.picker.replaceChildren(
    ...state.dashboards.map((d) => new Option(d.name || `Dashboard ${d.id}`, String(d.id))),
  );
  ui.picker.hidden = state.dashboards.length < 2;
}

/**
 * Builds the view of `dashboard` from the model (the profile as loaded, with the editor's
 * changes the server accepted).
 * @param {Dashboard} dashboard
 * @param {AppConnection} connection
 */
function drawDashboard(dashboard, connection) {
  state.view?.destroy();
  state.view = new DashboardView(ui.dashboard, dashboard, {
    writePin: (dashId, deviceId, operation, pin, values) =>
      connection.writePin(dashId, deviceId, operation, pin, values),
  });
  editor.attach();
}

async function openChosenDashboard() {
  const dashboard = chosenDashboard();
  state.view?.destroy();
  state.view = null;
  delete ui.dashboard.dataset.activeDashboard;
  if (!dashboard || !state.connection) {
    ui.dashboard.replaceChildren(
      document.createTextNode('No dashboards yet: create one here (New dashboard) or in the Blynk app.'),
    );
    editor.attach();
    return;
  }
  ui.picker.value = String(dashboard.id);
  document.title = `${dashboard.name || 'Dashboard'} · blynkd`;
  const connection = state.connection;
  drawDashboard(dashboard, connection);
  // Device writes reach app sessions only while the dashboard is active; activation also
  // replays every stored value.
  try {
    await connection.activateDashboard(dashboard.id);
    // Tells styles and tests that device writes now arrive.
    ui.dashboard.dataset.activeDashboard = String(dashboard.id);
  } catch (error) {
    // A dropped connection reconnects and activates again; anything else is worth saying.
    if (error instanceof StatusError) showNotice(`The dashboard could not be activated: ${error.message}.`);
  }
}

/**
 * After an edit: the dashboard on screen is drawn again from the model, and the server replays
 * its stored values into the new widgets (APP_SYNC).
 */
function redrawDashboard() {
  const dashboard = state.view?.dashboard ?? null;
  const connection = state.connection;
  if (!dashboard || !connection) return;
  drawDashboard(dashboard, connection);
  connection.syncValues(dashboard.id).catch(() => {
    // A lost connection reconnects and activates the dashboard again, which replays too.
  });
}

/**
 * Shows a dashboard: `#/dashboard/ID`, or the first one for null.
 * @param {number | null} id
 */
function showDashboard(id) {
  const target = id === null ? '' : `#/dashboard/${id}`;
  if (location.hash === target || (target === '' && location.hash === '#')) void openChosenDashboard();
  else location.hash = target;
}

const editor = new Editor(ui.editorBar, {
  connection: () => state.connection,
  dashboards: () => state.dashboards,
  current: () => state.view?.dashboard ?? null,
  view: () => state.view,
  notice: showNotice,
  redraw: redrawDashboard,
  dashboardsChanged: () => {
    fillPicker();
    if (state.view) document.title = `${state.view.dashboard.name || 'Dashboard'} · blynkd`;
  },
  show: showDashboard,
  reload: reloadProfile,
});

/**
 * Loads the profile again and shows the same dashboard: after a refused change, the page shows
 * what the server has rather than what the page assumed.
 */
async function reloadProfile() {
  const connection = state.connection;
  if (!connection) return;
  try {
    state.dashboards = dashboardsOf(await connection.loadProfile());
  } catch {
    return; // a lost connection reconnects, which loads the profile anyway
  }
  fillPicker();
  await openChosenDashboard();
}

/**
 * "dashId-deviceId" from a push, for the dashboard on screen; null for any other.
 * @param {string | undefined} target
 */
function deviceOnScreen(target) {
  const match = /^(\d+)-(\d+)$/.exec(target ?? '');
  if (!match || !state.view || Number(match[1]) !== state.view.dashboard.id) return null;
  return Number(match[2]);
}

/**
 * The dashboard and device "dashId-deviceId" names, in any of the user's dashboards.
 * @param {string | undefined} target
 */
function deviceOf(target) {
  const match = /^(\d+)-(\d+)$/.exec(target ?? '');
  if (!match) return null;
  const dashId = Number(match[1]);
  const deviceId = Number(match[2]);
  const device = state.dashboards.find((d) => d.id === dashId)?.devices?.find((d) => d.id === deviceId);
  return { dashId, deviceId, name: device?.name || `Device ${deviceId}` };
}

/**
 * Notifications and logged events concern every dashboard of the user, not only the one on
 * screen. Returns true when `frame` was one of them.
 * @param {Frame} frame
 */
function onAlert(frame) {
  if (frame.command !== Command.PUSH_NOTIFICATION && frame.command !== Command.EVENT_LOG) return false;
  const [target, first = '', second = ''] = frame.fields;
  const device = deviceOf(target);
  if (!device) return true;
  if (frame.command === Command.PUSH_NOTIFICATION) notifications.show(device.name, first);
  else eventLog.receive(device.dashId, device.deviceId, first, second);
  return true;
}

/** @param {Frame} frame */
function onPush(frame) {
  if (onAlert(frame)) return;
  const [target, ...rest] = frame.fields;
  const deviceId = deviceOnScreen(target);
  if (deviceId === null || !state.view) return;
  switch (frame.command) {
    case Command.HARDWARE:
    case Command.APP_SYNC: {
      // "vw", "dw", "aw": a write; "vm" and the like carry several stored values at once.
      const [operation, pin, ...values] = rest;
      if (operation?.length === 2 && 'vda'.includes(operation[0]) && 'wm'.includes(operation[1])) {
        const replay = (frame.command === Command.APP_SYNC && frame.id === REPLAY_ID) || operation[1] === 'm';
        state.view.receivePin(deviceId, operation[0], Number(pin), values, replay);
      }
      break;
    }
    case Command.SET_WIDGET_PROPERTY: {
      const [pin, name, ...value] = rest;
      if (name) state.view.receiveProperty(deviceId, Number(pin), name, value.join('\0'));
      break;
    }
    case Command.HARDWARE_CONNECTED:
      state.view.setDeviceOnline(deviceId, true);
      break;
    case Command.DEVICE_OFFLINE:
      state.view.setDeviceOnline(deviceId, false);
      break;
    default:
      break;
  }
}

/** @param {Frame} frame  a status for a write, which gets no answer when it succeeds */
function onUnmatchedResponse(frame) {
  if (frame.status === Status.OK) return;
  showNotice(
    frame.status === Status.DEVICE_NOT_IN_NETWORK
      ? 'The device is offline: the write did not reach it.'
      : `The server refused a write: ${describeStatus(frame.status)}.`,
  );
}

function onClose() {
  state.connection = null;
  if (!state.credentials) return; // signed out on purpose
  showConnection('offline');
  window.clearTimeout(state.reconnectTimer);
  state.reconnectTimer = window.setTimeout(() => {
    if (state.credentials) void connect(state.credentials);
  }, state.reconnectDelay);
  state.reconnectDelay = Math.min(state.reconnectDelay * 2, MAX_RECONNECT_DELAY_MS);
}

/**
 * Opens the app session, logs in, loads the profile and shows a dashboard.
 * @param {Credentials} credentials
 */
async function connect(credentials) {
  state.credentials = credentials;
  showConsole();
  showConnection('connecting');
  const connection = new AppConnection({ onPush, onUnmatchedResponse, onClose });
  try {
    await connection.open(dashboardSocketUrl(location));
    state.connection = connection;
    await connection.login(credentials.email, credentials.secret);
    state.dashboards = dashboardsOf(await connection.loadProfile());
  } catch (error) {
    if (error instanceof StatusError) {
      // The cookie or the hash no longer signs in: ask again rather than retry forever.
      state.credentials = null;
      connection.close();
      showSignIn(error.message);
    }
    // Otherwise the socket closed and onClose retries.
    return;
  }
  state.reconnectDelay = 1000;
  showConnection('online');
  fillPicker();
  await openChosenDashboard();
}

ui.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  ui.signInButton.disabled = true;
  ui.signInError.textContent = '';
  try {
    const credentials = await signIn(ui.email.value.trim(), ui.password.value);
    ui.password.value = '';
    await connect(credentials);
  } catch (error) {
    showSignIn(error instanceof Error ? error.message : String(error));
  }
});

ui.signOutButton.addEventListener('click', async () => {
  const credentials = state.credentials;
  state.credentials = null;
  window.clearTimeout(state.reconnectTimer);
  editor.reset();
  state.view?.destroy();
  state.view = null;
  state.connection?.close();
  state.connection = null;
  ui.dashboard.replaceChildren();
  // The form comes back once the server has ended the session: a reload then stays signed out.
  let error = '';
  if (credentials) {
    try {
      await signOut(credentials);
    } catch (e) {
      error = `Signing out failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  showSignIn(error);
});

ui.eventsButton.addEventListener('click', () => {
  const dashboard = state.view?.dashboard ?? chosenDashboard();
  if (dashboard) eventLog.show(dashboard);
  else showNotice('No dashboard yet: its devices\' events show here.');
});

ui.picker.addEventListener('change', () => {
  location.hash = `#/dashboard/${ui.picker.value}`;
});

window.addEventListener('hashchange', () => {
  if (state.connection) void openChosenDashboard();
});

async function start() {
  let credentials = null;
  try {
    credentials = await currentSession();
  } catch {
    // No answer from the session API: sign in by hand.
  }
  if (credentials) await connect(credentials);
  else showSignIn();
}

void start();
