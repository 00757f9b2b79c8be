// Notifications from the user's devices (hardware and REST notify) while a console page is open.
// The server sends them to console pages as PUSH_NOTIFICATION frames. A page in the background
// shows them through the browser's Notification API once the user has allowed it (the browser
// asks only from a click: the "Enable alerts" button); a page on screen, or one without that
// permission, shows them as toasts.

import { element } from './widgets/base.js';

/** How long a toast stays. */
const TOAST_MS = 8000;
/** Toasts on screen at most: the oldest goes first. */
const MAX_TOASTS = 4;

export class NotificationCenter {
  /**
   * @param {HTMLButtonElement} permissionButton  offered while the browser has not been asked
   * @param {HTMLElement} toasts  where toasts go
   */
  constructor(permissionButton, toasts) {
    this.permissionButton = permissionButton;
    this.toasts = toasts;
    permissionButton.addEventListener('click', async () => {
      permissionButton.disabled = true;
      try {
        await Notification.requestPermission();
      } finally {
        permissionButton.disabled = false;
        this.offerPermission(true);
      }
    });
  }

  /**
   * Shows the permission button when signed in and the browser has not been asked yet.
   * @param {boolean} signedIn
   */
  offerPermission(signedIn) {
    this.permissionButton.hidden = !signedIn || !('Notification' in window) || Notification.permission !== 'default';
  }

  /**
   * @param {string} title  the device's name
   * @param {string} text
   */
  show(title, text) {
    if (document.hidden && 'Notification' in window && Notification.permission === 'granted') {
      // A system notification; clicking it brings the page back.
      const notification = new Notification(title, { body: text, icon: '/assets/icon.svg' });
      notification.addEventListener('click', () => window.focus());
      return;
    }
    this.toast(title, text);
  }

  /**
   * @param {string} title
   * @param {string} text
   */
  toast(title, text) {
    const node = element('div', 'toast');
    node.setAttribute('role', 'status');
    node.append(element('strong', 'toast__title', title), element('span', 'toast__text', text));
    const close = /** @type {HTMLButtonElement} */ (element('button', 'toast__close', '×'));
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => node.remove());
    node.append(close);
    this.toasts.append(node);
    while (this.toasts.childElementCount > MAX_TOASTS) this.toasts.firstElementChild?.remove();
    window.setTimeout(() => node.remove(), TOAST_MS);
  }
}
