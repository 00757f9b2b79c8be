// Small DOM helpers for the admin view: building elements, tables that turn into stacked cards on
// a phone (each cell carries its column's label), and a confirmation dialog.

import { formatAgo, formatLocalTime } from './format.js';

/**
 * @typedef {Node | string | null | undefined | false} Child
 */

/**
 * An element with a class, attributes and children (strings become text, never HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {Record<string, string | boolean>} [attributes]  `true` sets an empty attribute, `false` none
 * @param {Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, className = '', attributes = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, '');
    else if (value !== false) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/**
 * "14:02:11 · 5 min ago"; the "ago" part is kept current by refreshAgo().
 * @param {number} ms  milliseconds since the epoch; 0 or less means never
 * @param {string} [never]
 */
export function timeAndAgo(ms, never = 'never') {
  if (!(ms > 0)) return h('span', 'admin-dim', {}, [never]);
  const when = new Date(ms);
  const ago = h('span', 'admin-ago', { 'data-ago': String(ms) }, [formatAgo(ms)]);
  return h('span', 'admin-time', {}, [
    h('time', '', { datetime: when.toISOString(), title: when.toLocaleString() }, [formatLocalTime(ms)]),
    ' · ',
    ago,
  ]);
}

/**
 * Brings every "x min ago" under `root` up to date.
 * @param {ParentNode} root
 */
export function refreshAgo(root) {
  const now = Date.now();
  for (const node of root.querySelectorAll('[data-ago]')) {
    if (!(node instanceof HTMLElement)) continue;
    const text = formatAgo(Number(node.dataset.ago), now);
    if (node.textContent !== text) node.textContent = text;
  }
}

/**
 * @typedef {object} Column
 * @property {string} label
 * @property {string} [className]
 */

/**
 * A table of items, updated in place: a row whose item did not change is kept as it is (with its
 * focus), so refreshing every few seconds does not disturb a finger or a keyboard on it.
 * @template T
 */
export class ItemTable {
  /**
   * @param {Column[]} columns
   * @param {string} emptyText
   * @param {(item: T) => string} keyOf
   * @param {(item: T) => Child[]} cellsOf  one entry per column
   * @param {string} [className]
   */
  constructor(columns, emptyText, keyOf, cellsOf, className = '') {
    this.columns = columns;
    this.keyOf = keyOf;
    this.cellsOf = cellsOf;
    this.body = h('tbody');
    this.empty = h('p', 'admin-empty', {}, [emptyText]);
    this.table = h('table', `admin-table ${className}`.trim(), {}, [
      h('thead', '', {}, [h('tr', '', {}, columns.map((c) => h('th', c.className ?? '', { scope: 'col' }, [c.label])))]),
      this.body,
    ]);
    this.element = h('div', 'admin-table-wrap', {}, [this.table, this.empty]);
    /** @type {Map<string, { json: string, row: HTMLTableRowElement }>} */
    this.rows = new Map();
  }

  /** @param {T[]} items */
  update(items) {
    /** @type {Map<string, { json: string, row: HTMLTableRowElement }>} */
    const next = new Map();
    const rows = items.map((item) => {
      const key = this.keyOf(item);
      const json = JSON.stringify(item);
      const old = this.rows.get(key);
      const entry = old && old.json === json ? old : { json, row: this.row(key, item) };
      next.set(key, entry);
      return entry.row;
    });
    this.rows = next;
    let cursor = this.body.firstChild;
    for (const row of rows) {
      if (row === cursor) cursor = cursor.nextSibling;
      else this.body.insertBefore(row, cursor);
    }
    while (cursor) {
      const after = cursor.nextSibling;
      cursor.remove();
      cursor = after;
    }
    this.table.hidden = items.length === 0;
    this.empty.hidden = items.length > 0;
  }

  /**
   * @param {string} key
   * @param {T} item
   */
  row(key, item) {
    const cells = this.cellsOf(item);
    return h(
      'tr',
      '',
      { 'data-key': key },
      this.columns.map((column, i) =>
        h('td', column.className ?? '', { 'data-label': column.label }, [cells[i] ?? '']),
      ),
    );
  }
}

/**
 * Asks before something that cannot be undone; resolves true when confirmed.
 * @param {object} options
 * @param {string} options.title
 * @param {string} options.text
 * @param {string} options.confirm  the label of the confirming button
 * @returns {Promise<boolean>}
 */
export function confirmAction({ title, text, confirm }) {
  const yes = h('button', 'admin-button admin-button--danger', { type: 'button', 'data-answer': 'yes' }, [confirm]);
  const no = h('button', 'admin-button', { type: 'button', 'data-answer': 'no' }, ['Cancel']);
  const dialog = h('dialog', 'admin-dialog', { 'aria-labelledby': 'admin-dialog-title' }, [
    h('h2', '', { id: 'admin-dialog-title' }, [title]),
    h('p', '', {}, [text]),
    h('div', 'admin-dialog__buttons', {}, [no, yes]),
  ]);
  document.body.append(dialog);
  return new Promise((resolve) => {
    yes.addEventListener('click', () => dialog.close('yes'));
    no.addEventListener('click', () => dialog.close('no'));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'yes');
      dialog.remove();
    });
    dialog.showModal();
    no.focus();
  });
}

/** A line under a form or list that says what an action did, or why it failed. */
export class StatusLine {
  constructor() {
    this.element = h('p', 'admin-status', { role: 'status', 'aria-live': 'polite' });
  }

  /**
   * @param {string} text
   * @param {'ok' | 'error' | 'busy'} kind
   * @param {Child[]} [extra]  nodes after the text (a copy button, say)
   */
  show(text, kind, extra = []) {
    this.element.dataset.kind = kind;
    this.element.replaceChildren(text, ...extra.filter((c) => c !== null && c !== undefined && c !== false));
  }

  clear() {
    delete this.element.dataset.kind;
    this.element.replaceChildren();
  }
}

/**
 * Runs an action from a button: the button is disabled meanwhile, the status line says what
 * happened (the API's own words on failure). Resolves true when the action succeeded.
 * @param {HTMLButtonElement} button
 * @param {StatusLine} status
 * @param {string} busyText
 * @param {() => Promise<void>} work
 */
export async function runAction(button, status, busyText, work) {
  button.disabled = true;
  status.show(busyText, 'busy');
  try {
    await work();
    return true;
  } catch (error) {
    status.show(error instanceof Error ? error.message : String(error), 'error');
    return false;
  } finally {
    button.disabled = false;
  }
}

/**
 * A button that copies `text` to the clipboard; where the browser refuses, the text is selected
 * for copying by hand.
 * @param {string} text
 * @param {HTMLElement} shown  the element showing the text, selected when copying fails
 * @param {string} [label]
 */
export function copyButton(text, shown, label = 'Copy') {
  const button = h('button', 'admin-button admin-button--small', { type: 'button', 'data-action': 'copy' }, [label]);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      const selection = window.getSelection();
      const range = document.createRange();
      range.selectNodeContents(shown);
      selection?.removeAllRanges();
      selection?.addRange(range);
      button.textContent = 'Selected: copy it';
    }
    window.setTimeout(() => {
      button.textContent = label;
    }, 2000);
  });
  return button;
}

/**
 * A labelled form field.
 * @param {string} label
 * @param {HTMLElement} control  an input or select with an id
 * @param {string} [className]
 */
export function field(label, control, className = '') {
  return h('div', `admin-field ${className}`.trim(), {}, [h('label', '', { for: control.id }, [label]), control]);
}
