// Edit mode: the editor bar (add a widget, devices, the dashboard menu), and on the dashboard a
// handle on every widget to select, move and resize it (pointer drags on the grips, touch
// included, or the arrow buttons of the selected widget's toolbar). Every change goes to the
// server first (UPDATE_WIDGET and friends); the page changes once the server said 200, and says
// why when it refused.

import { GRID_COLUMNS, place } from '../dashboard.js';
import { element } from '../widgets/base.js';
import { createDashboard, dashboardMenu } from './dashboards.js';
import { devicePanel } from './devices.js';
import { button, confirmThen } from './dialog.js';
import { fits } from './layout.js';
import { palette } from './palette.js';
import { widgetForm } from './widget-form.js';

/** @typedef {import('../protocol.js').AppConnection} AppConnection */
/** @typedef {import('../profile.js').Dashboard} Dashboard */
/** @typedef {import('../profile.js').Widget} Widget */
/** @typedef {import('../dashboard.js').DashboardView} DashboardView */
/** @typedef {{ x: number, y: number, width: number, height: number }} Rect */

/**
 * What the page gives the editor.
 * @typedef {object} PageHooks
 * @property {() => AppConnection | null} connection
 * @property {() => Dashboard[]} dashboards
 * @property {() => Dashboard | null} current     the dashboard on screen
 * @property {() => DashboardView | null} view
 * @property {(text: string) => void} notice
 * @property {() => void} redraw     rebuilds the dashboard on screen from the model
 * @property {() => void} dashboardsChanged   the list or a name changed
 * @property {(id: number | null) => void} show   shows a dashboard (null: the first)
 * @property {() => Promise<void>} reload   loads the profile again and shows it
 */

/**
 * What the editor's panels use: the page's hooks, and the model changes that follow the
 * server's answers.
 * @typedef {PageHooks & {
 *   dashboardCreated: (dashboard: Dashboard) => void,
 *   dashboardDeleted: (dashboard: Dashboard) => void,
 *   widgetSaved: (dashboard: Dashboard, widget: Widget) => void,
 * }} EditorHost
 */

/** The selected widget's toolbar: what each button does to its place and size. */
const TOOLS = /** @type {const} */ ([
  ['left', '←', 'Move left', { x: -1 }],
  ['up', '↑', 'Move up', { y: -1 }],
  ['down', '↓', 'Move down', { y: 1 }],
  ['right', '→', 'Move right', { x: 1 }],
  ['narrower', 'W−', 'Narrower', { width: -1 }],
  ['wider', 'W+', 'Wider', { width: 1 }],
  ['shorter', 'H−', 'Shorter', { height: -1 }],
  ['taller', 'H+', 'Taller', { height: 1 }],
]);

/**
 * @param {Widget} widget
 * @returns {Rect}
 */
function rectOf(widget) {
  return { x: widget.x || 0, y: widget.y || 0, width: widget.width || 1, height: widget.height || 1 };
}

/**
 * Where the grips go depends on the widget's size (see console.css).
 * @param {Element} overlay
 * @param {Rect} rect
 */
function shapeOverlay(overlay, rect) {
  overlay.classList.toggle('edit-overlay--short', rect.height === 1);
  overlay.classList.toggle('edit-overlay--tiny', rect.height === 1 && rect.width === 1);
}

export class Editor {
  /**
   * @param {HTMLElement} bar  the editor bar (buttons are made here)
   * @param {PageHooks} hooks
   */
  constructor(bar, hooks) {
    this.hooks = hooks;
    this.editing = false;
    /** False until the page has shown a dashboard or said there is none. */
    this.ready = false;
    /** @type {number | null} */
    this.selected = null;
    /** Changes go to the server one at a time, in order. */
    this.queue = Promise.resolve();
    /** How many of them wait for the server's answer. */
    this.waiting = 0;

    /** @type {EditorHost} */
    this.host = {
      ...hooks,
      dashboardCreated: (dashboard) => {
        hooks.dashboards().push(dashboard);
        hooks.dashboardsChanged();
        hooks.show(dashboard.id);
      },
      dashboardDeleted: (dashboard) => {
        const list = hooks.dashboards();
        const index = list.indexOf(dashboard);
        if (index >= 0) list.splice(index, 1);
        hooks.dashboardsChanged();
        hooks.show(null);
      },
      widgetSaved: (dashboard, widget) => {
        const widgets = dashboard.widgets ?? (dashboard.widgets = []);
        const index = widgets.findIndex((w) => w.id === widget.id);
        if (index >= 0) widgets[index] = widget;
        else widgets.push(widget);
        this.selected = widget.id;
        hooks.redraw();
      },
    };

    this.toggleButton = button('Edit', 'editor-bar__toggle');
    this.toggleButton.id = 'edit-toggle';
    this.toggleButton.setAttribute('aria-pressed', 'false');
    this.toggleButton.addEventListener('click', () => this.setEditing(!this.editing));
    this.addButton = this.barButton('+ Widget', 'add-widget', () =>
      palette(this.host, this.hooks.view()?.currentTab ?? 0),
    );
    this.devicesButton = this.barButton('Devices', 'devices-button', () => devicePanel(this.host));
    this.menuButton = this.barButton('Menu', 'dashboard-menu-button', () => dashboardMenu(this.host));
    this.menuButton.setAttribute('aria-label', 'Dashboard menu: new, rename, delete');
    this.menuButton.title = 'New, rename or delete a dashboard';
    this.newButton = this.barButton('+ New dashboard', 'new-dashboard', () => createDashboard(this.host));
    this.bar = bar;
    bar.append(this.toggleButton, this.addButton, this.devicesButton, this.menuButton, this.newButton);

    this.toolsName = element('span', 'widget-tools__name');
    this.tools = this.buildTools();
    document.body.append(this.tools);
    this.refreshBar();
  }

  /**
   * @param {string} text
   * @param {string} id
   * @param {() => void} action
   */
  barButton(text, id, action) {
    const node = button(text, 'editor-bar__button');
    node.id = id;
    node.addEventListener('click', action);
    return node;
  }

  buildTools() {
    const tools = element('div', 'widget-tools');
    tools.id = 'widget-tools';
    tools.setAttribute('role', 'toolbar');
    tools.setAttribute('aria-label', 'selected widget');
    tools.hidden = true;
    const grid = element('div', 'widget-tools__buttons');
    for (const [action, text, label, change] of TOOLS) {
      const node = button(text, 'widget-tools__button');
      node.dataset.action = action;
      node.setAttribute('aria-label', label);
      node.title = label;
      node.addEventListener('click', () => this.nudge(change));
      grid.append(node);
    }
    const settings = button('Settings', 'widget-tools__button widget-tools__wide');
    settings.dataset.action = 'settings';
    settings.addEventListener('click', () => this.configureSelected());
    const remove = button('Delete', 'widget-tools__button widget-tools__wide widget-tools__danger');
    remove.dataset.action = 'delete';
    remove.addEventListener('click', () => void this.deleteSelected());
    const close = button('✕', 'widget-tools__button');
    close.dataset.action = 'deselect';
    close.setAttribute('aria-label', 'Deselect');
    close.addEventListener('click', () => this.select(null));
    grid.append(settings, remove, close);
    tools.append(this.toolsName, grid);
    return tools;
  }

  /** Shows the buttons that fit: Edit when there is a dashboard, the rest while editing. */
  refreshBar() {
    const hasDashboard = this.hooks.current() !== null;
    this.bar.hidden = !this.ready;
    if (!hasDashboard && this.editing) this.editing = false;
    this.toggleButton.hidden = !hasDashboard;
    this.toggleButton.textContent = this.editing ? 'Done' : 'Edit';
    this.toggleButton.setAttribute('aria-pressed', String(this.editing));
    this.addButton.hidden = !this.editing;
    this.devicesButton.hidden = !this.editing;
    this.menuButton.hidden = !this.editing;
    this.newButton.hidden = hasDashboard;
  }

  /** @param {boolean} editing */
  setEditing(editing) {
    this.editing = editing && this.hooks.current() !== null;
    if (!this.editing) this.select(null);
    this.refreshBar();
    this.decorate();
  }

  /** Signed out: nothing to edit until the next dashboard shows. */
  reset() {
    this.ready = false;
    this.setEditing(false);
  }

  /**
   * The page built a new dashboard view: add the handles again when editing.
   */
  attach() {
    this.ready = true;
    this.refreshBar();
    this.decorate();
  }

  /** Puts handles on every widget in edit mode, and takes them away otherwise. */
  decorate() {
    const view = this.hooks.view();
    if (!view) {
      this.tools.hidden = true;
      return;
    }
    view.grid.classList.toggle('is-editing', this.editing);
    for (const overlay of view.grid.querySelectorAll('.edit-overlay')) overlay.remove();
    if (!this.editing) {
      this.tools.hidden = true;
      return;
    }
    for (const { view: widgetView } of view.views) {
      const widget = widgetView.widget;
      const overlay = element('div', 'edit-overlay');
      overlay.dataset.widgetId = String(widget.id);
      shapeOverlay(overlay, rectOf(widget));
      const pick = button('', 'edit-overlay__select');
      pick.setAttribute('aria-label', `Select ${widget.label || widget.type}`);
      pick.addEventListener('click', () => this.select(widget.id));
      const move = button('✥', 'edit-grip edit-grip--move');
      move.setAttribute('aria-label', 'Drag to move');
      const resize = button('◢', 'edit-grip edit-grip--resize');
      resize.setAttribute('aria-label', 'Drag to resize');
      move.addEventListener('pointerdown', (event) => this.drag(event, widget.id, 'move'));
      resize.addEventListener('pointerdown', (event) => this.drag(event, widget.id, 'resize'));
      overlay.append(pick, move, resize);
      widgetView.element.append(overlay);
    }
    this.select(this.selected);
  }

  /** @param {number} id */
  stored(id) {
    return this.hooks.current()?.widgets?.find((w) => w.id === id) ?? null;
  }

  /** @param {number} id */
  elementOf(id) {
    return this.hooks.view()?.views.find((v) => v.view.widget.id === id)?.view.element ?? null;
  }

  /** @param {number | null} id */
  select(id) {
    const widget = id === null ? null : this.stored(id);
    this.selected = widget ? widget.id : null;
    for (const node of document.querySelectorAll('.widget.is-selected')) node.classList.remove('is-selected');
    if (!widget || !this.editing) {
      this.tools.hidden = true;
      return;
    }
    this.elementOf(widget.id)?.classList.add('is-selected');
    this.toolsName.textContent = widget.label || widget.type;
    this.tools.dataset.widgetId = String(widget.id);
    this.tools.hidden = false;
  }

  /**
   * Runs server changes one after another.
   * @param {() => Promise<void>} change
   */
  enqueue(change) {
    // While changes wait for the server, <body data-saving> says so (to styles and tests).
    this.waiting += 1;
    document.body.dataset.saving = 'true';
    this.queue = this.queue
      .then(change)
      .catch(async (error) => {
        this.hooks.notice(`The server refused the change: ${error instanceof Error ? error.message : String(error)}.`);
        // Show what the server has, not what the page assumed.
        await this.hooks.reload();
      })
      .finally(() => {
        this.waiting -= 1;
        if (this.waiting === 0) delete document.body.dataset.saving;
      });
    return this.queue;
  }

  /**
   * Moves or resizes the selected widget by a cell.
   * @param {{ x?: number, y?: number, width?: number, height?: number }} change
   */
  nudge(change) {
    const id = this.selected;
    if (id === null) return;
    void this.enqueue(async () => {
      const widget = this.stored(id);
      if (!widget) return;
      const rect = rectOf(widget);
      const next = {
        x: rect.x + (change.x ?? 0),
        y: rect.y + (change.y ?? 0),
        width: rect.width + (change.width ?? 0),
        height: rect.height + (change.height ?? 0),
      };
      await this.commit(widget, next);
    });
  }

  /**
   * Sends a widget's new place and size; the page shows it once the server has it.
   * @param {Widget} widget  as stored
   * @param {Rect} rect
   */
  async commit(widget, rect) {
    const dashboard = this.hooks.current();
    const connection = this.hooks.connection();
    if (!dashboard || !connection) return;
    if (!fits(dashboard, rect, widget.tabId ?? 0, widget.id)) {
      this.hooks.notice(
        rect.x < 0 || rect.y < 0 || rect.width < 1 || rect.height < 1 || rect.x + rect.width > GRID_COLUMNS
          ? 'That is the edge of the grid.'
          : 'Another widget is there.',
      );
      const node = this.elementOf(widget.id);
      if (node) place(node, widget);
      return;
    }
    const copy = /** @type {Widget} */ ({ ...structuredClone(widget), ...rect });
    await connection.updateWidget(dashboard.id, copy);
    const widgets = dashboard.widgets ?? [];
    widgets[widgets.indexOf(widget)] = copy;
    const node = this.elementOf(widget.id);
    if (node) {
      place(node, copy);
      const overlay = node.querySelector('.edit-overlay');
      if (overlay) shapeOverlay(overlay, rect);
    }
    // The view keeps drawing from its own widget object; its place is all that changed.
    const view = this.hooks.view()?.views.find((v) => v.view.widget.id === widget.id)?.view;
    if (view) Object.assign(view.widget, rect);
  }

  /**
   * A drag on a widget's move or resize grip: the widget follows the pointer cell by cell where
   * it fits, and the new place is sent when the pointer is released.
   * @param {PointerEvent} event
   * @param {number} id
   * @param {'move' | 'resize'} kind
   */
  drag(event, id, kind) {
    const widget = this.stored(id);
    const node = this.elementOf(id);
    const dashboard = this.hooks.current();
    const grid = this.hooks.view()?.grid;
    if (!widget || !node || !dashboard || !grid) return;
    event.preventDefault();
    const grip = /** @type {HTMLElement} */ (event.currentTarget);
    grip.setPointerCapture(event.pointerId);
    this.select(id);
    const gap = Number.parseFloat(getComputedStyle(grid).columnGap) || 0;
    const pitch = (grid.getBoundingClientRect().width + gap) / GRID_COLUMNS;
    const origin = rectOf(widget);
    let current = origin;
    node.classList.add('is-dragging');

    /** @param {PointerEvent} e */
    const onMove = (e) => {
      const dx = Math.round((e.clientX - event.clientX) / pitch);
      const dy = Math.round((e.clientY - event.clientY) / pitch);
      const next =
        kind === 'move'
          ? { ...origin, x: origin.x + dx, y: origin.y + dy }
          : { ...origin, width: origin.width + dx, height: origin.height + dy };
      if (fits(dashboard, next, widget.tabId ?? 0, id)) {
        current = next;
        place(node, { ...widget, ...next });
      }
    };
    const onEnd = () => {
      grip.removeEventListener('pointermove', onMove);
      grip.removeEventListener('pointerup', onEnd);
      grip.removeEventListener('pointercancel', onEnd);
      node.classList.remove('is-dragging');
      const moved = current;
      if (moved.x === origin.x && moved.y === origin.y && moved.width === origin.width && moved.height === origin.height) {
        return;
      }
      void this.enqueue(async () => {
        const latest = this.stored(id);
        if (latest) await this.commit(latest, moved);
      });
    };
    grip.addEventListener('pointermove', onMove);
    grip.addEventListener('pointerup', onEnd);
    grip.addEventListener('pointercancel', onEnd);
  }

  configureSelected() {
    const dashboard = this.hooks.current();
    const widget = this.selected === null ? null : this.stored(this.selected);
    if (dashboard && widget) widgetForm(this.host, dashboard, widget, false);
  }

  async deleteSelected() {
    const dashboard = this.hooks.current();
    const widget = this.selected === null ? null : this.stored(this.selected);
    if (!dashboard || !widget) return;
    const deleted = await confirmThen(
      'Delete widget',
      `Delete “${widget.label || widget.type}” from this dashboard?`,
      'Delete widget',
      async () => {
        const connection = this.hooks.connection();
        if (!connection) throw new Error('not connected');
        await connection.deleteWidget(dashboard.id, widget.id);
      },
    );
    if (deleted) {
      dashboard.widgets = (dashboard.widgets ?? []).filter((w) => w.id !== widget.id);
      this.selected = null;
      this.hooks.redraw();
    }
  }
}
