// Modal sheets for the editor, built on <dialog>: one opens at a time, Escape or Cancel closes
// it, and on a phone it fills the screen's width from the bottom.

import { element } from '../widgets/base.js';

/**
 * @typedef {object} Sheet
 * @property {HTMLDialogElement} dialog
 * @property {HTMLFormElement} form   the sheet's content goes here
 * @property {HTMLElement} error      says why the server refused, without closing the sheet
 * @property {HTMLElement} actions    the buttons row
 * @property {() => void} close
 * @property {Promise<void>} closed   resolves when the sheet has closed
 */

/**
 * @param {string} text
 * @param {string} className
 * @param {'button' | 'submit'} [type]
 */
export function button(text, className, type = 'button') {
  const node = /** @type {HTMLButtonElement} */ (element('button', className, text));
  node.type = type;
  return node;
}

/**
 * A labelled form control.
 * @param {string} text
 * @param {HTMLElement} control  an input, select or textarea with a name
 */
export function field(text, control) {
  const label = element('label', 'sheet__field');
  label.append(element('span', 'sheet__label', text), control);
  return label;
}

/**
 * @param {string} name
 * @param {string} value
 * @param {string} [type]
 */
export function input(name, value, type = 'text') {
  const node = /** @type {HTMLInputElement} */ (element('input', 'sheet__input'));
  node.name = name;
  node.type = type;
  node.value = value;
  return node;
}

/**
 * @param {string} name
 * @param {[string, string][]} options  value and text
 * @param {string} value
 */
export function select(name, options, value) {
  const node = /** @type {HTMLSelectElement} */ (element('select', 'sheet__input'));
  node.name = name;
  node.append(...options.map(([v, text]) => new Option(text, v)));
  node.value = value;
  return node;
}

/**
 * Opens a sheet with a title; the caller fills `form` and `actions`. A Cancel button is there
 * already; `onSubmit` runs when the form is submitted (the sheet stays open until it closes it).
 * @param {string} title
 * @param {string} className
 * @param {(sheet: Sheet) => void | Promise<void>} [onSubmit]
 * @returns {Sheet}
 */
export function openSheet(title, className, onSubmit) {
  const dialog = /** @type {HTMLDialogElement} */ (element('dialog', `sheet ${className}`));
  const form = /** @type {HTMLFormElement} */ (element('form', 'sheet__form'));
  const heading = element('h2', 'sheet__title', title);
  const error = element('p', 'error sheet__error');
  error.setAttribute('role', 'alert');
  const actions = element('div', 'sheet__actions');
  const cancel = button('Cancel', 'sheet__cancel');
  actions.append(cancel);
  dialog.append(heading, form, error, actions);
  document.body.append(dialog);

  /** @type {() => void} */
  let resolveClosed = () => {};
  /** @type {Sheet} */
  const sheet = {
    dialog,
    form,
    error,
    actions,
    close: () => dialog.close(),
    closed: new Promise((resolve) => {
      resolveClosed = resolve;
    }),
  };
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    resolveClosed();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (onSubmit) void onSubmit(sheet);
  });
  dialog.showModal();
  return sheet;
}

/**
 * A submit button for the sheet's form: it lives in the actions row, outside the form.
 * @param {Sheet} sheet
 * @param {string} text
 * @param {string} className
 */
export function submitButton(sheet, text, className) {
  const node = button(text, `sheet__primary ${className}`, 'submit');
  node.setAttribute('form', ensureFormId(sheet.form));
  sheet.actions.append(node);
  return node;
}

let formCount = 0;

/** @param {HTMLFormElement} form */
function ensureFormId(form) {
  if (!form.id) form.id = `sheet-form-${++formCount}`;
  return form.id;
}

/**
 * Runs a server request for a sheet: buttons are disabled meanwhile, and a refusal shows in the
 * sheet. Resolves true when it succeeded.
 * @param {Sheet} sheet
 * @param {() => Promise<void>} action
 */
export async function run(sheet, action) {
  const buttons = [...sheet.dialog.querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  sheet.error.textContent = '';
  try {
    await action();
    return true;
  } catch (error) {
    sheet.error.textContent = `The server refused: ${error instanceof Error ? error.message : String(error)}.`;
    return false;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/**
 * Asks before something that cannot be undone; resolves once `action` succeeded (true), or the
 * sheet was cancelled (false). A refusal stays on the sheet.
 * @param {string} title
 * @param {string} text
 * @param {string} confirmText
 * @param {() => Promise<void>} action
 * @returns {Promise<boolean>}
 */
export function confirmThen(title, text, confirmText, action) {
  let done = false;
  const sheet = openSheet(title, 'confirm', async (s) => {
    if (await run(s, action)) {
      done = true;
      s.close();
    }
  });
  sheet.form.append(element('p', 'sheet__text', text));
  submitButton(sheet, confirmText, 'sheet__danger confirm__yes');
  return sheet.closed.then(() => done);
}
