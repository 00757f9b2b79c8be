// The Table: rows of name and value that the device manages with commands on one pin
// ("add" id name value, "update" id name value, "clr", "pick" row-index, "select" id,
// "deselect" id). Tapping a row toggles its selection and tells the device ("select"/"deselect").

import { WidgetView, element, toNumber } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/** @typedef {{ id: number, name: string, value: string, isSelected: boolean }} Row */

/** The legacy server kept at most this many rows, dropping the oldest. */
const MAX_ROWS = 100;

class TableView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    /** @type {Row[]} */
    this.rows = Array.isArray(widget.rows)
      ? widget.rows.map((/** @type {Partial<Row>} */ row) => ({
          id: toNumber(row.id, 0),
          name: String(row.name ?? ''),
          value: String(row.value ?? ''),
          isSelected: row.isSelected === true,
        }))
      : [];
    this.currentRow = toNumber(widget.currentRowIndex, 0);
    this.clickable = widget.isClickableRows === true;
    /** "pick" asks for the current row to be scrolled into view on the next draw. */
    this.scrollPending = false;
    /** @type {string[]} */
    const columns = Array.isArray(widget.columns)
      ? widget.columns.map((/** @type {{ name?: string }} */ c) => String(c.name ?? ''))
      : [];
    this.table = element('table', 'table');
    if (columns.some((name) => name !== '')) {
      const head = element('thead', '');
      const line = element('tr', '');
      for (const name of ['', ...columns.slice(0, 2)]) line.append(element('th', '', name));
      head.append(line);
      this.table.append(head);
    }
    this.tbody = element('tbody', '');
    this.table.append(this.tbody);
    this.scroller = element('div', 'table-scroller');
    this.scroller.append(this.table);
    this.body.append(this.scroller);
    this.tbody.addEventListener('click', (event) => this.onClick(event));
  }

  /** @param {Event} event */
  onClick(event) {
    if (!this.clickable || this.disabled || !(event.target instanceof Element)) return;
    const line = event.target.closest('tr');
    const row = this.rows.find((r) => String(r.id) === line?.dataset.rowId);
    if (!row) return;
    row.isSelected = !row.isSelected;
    this.send(0, [row.isSelected ? 'select' : 'deselect', String(row.id)]);
    this.context.invalidate(this);
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    const [command, ...args] = values;
    const byId = (/** @type {string | undefined} */ id) => this.rows.find((r) => String(r.id) === id);
    switch (command) {
      case 'clr':
        this.rows = [];
        this.currentRow = 0;
        break;
      case 'add':
      case 'update': {
        if (args.length < 3) break;
        const existing = byId(args[0]);
        if (existing) Object.assign(existing, { name: args[1], value: args[2] });
        else if (command === 'add') this.rows.push({ id: toNumber(args[0], 0), name: args[1], value: args[2], isSelected: true });
        this.rows = this.rows.slice(-MAX_ROWS);
        break;
      }
      case 'pick':
        this.currentRow = toNumber(args[0], this.currentRow);
        this.scrollPending = true;
        break;
      case 'select':
      case 'deselect': {
        const row = byId(args[0]);
        if (row) row.isSelected = command === 'select';
        break;
      }
      default:
        break;
    }
  }

  draw() {
    this.tbody.replaceChildren(
      ...this.rows.map((row, i) => {
        const line = element('tr', row.isSelected ? 'is-selected' : '');
        line.dataset.rowId = String(row.id);
        if (i === this.currentRow) line.classList.add('is-current');
        line.append(element('td', 'table__mark', row.isSelected ? '✓' : ''), element('td', '', row.name), element('td', 'table__value', row.value));
        return line;
      }),
    );
    const current = this.tbody.querySelector('.is-current');
    if (this.scrollPending && current instanceof HTMLElement) {
      // Scrolls the table only; scrollIntoView would scroll the whole page too.
      this.scroller.scrollTop = current.offsetTop - this.scroller.clientHeight / 2;
    }
    this.scrollPending = false;
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  TABLE: (widget, context) => new TableView(widget, context),
};
