// Links the admin view into the page: the "Admin" button in the top bar (administrators only)
// and the #/admin route, which shows the view instead of the dashboard. The view's own modules
// load only when it is first opened.

/** @typedef {import('../session.js').Credentials} Credentials */
/** @typedef {import('./view.js').AdminView} AdminView */

export const ADMIN_HASH = '#/admin';

/** Whether the address asks for the admin view. */
export function isAdminRoute() {
  return location.hash === ADMIN_HASH || location.hash.startsWith(`${ADMIN_HASH}/`);
}

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return node;
}

/**
 * Installs the button and the route; main.js tells it when someone signs in and out.
 * @returns {{ signedIn(credentials: Credentials): void, signedOut(): void }}
 */
export function installAdmin() {
  const button = byId('admin-button');
  const section = byId('admin');
  /** @type {Credentials | null} */
  let credentials = null;
  /** @type {AdminView | null} */
  let view = null;
  /** Counts route changes, so a slow module load does not show a view already left. */
  let generation = 0;
  /** Where "Dashboards" goes back to: the dashboard last on screen. */
  let dashboardHash = '#/';

  async function update() {
    const mine = ++generation;
    if (!isAdminRoute()) dashboardHash = location.hash || '#/';
    const showing = credentials !== null && isAdminRoute();
    button.hidden = !credentials?.admin;
    button.textContent = showing ? 'Dashboards' : 'Admin';
    button.setAttribute('href', showing ? dashboardHash : ADMIN_HASH);
    document.body.classList.toggle('is-admin-route', showing);
    section.hidden = !showing;
    if (!showing || !credentials) {
      view?.stop();
      return;
    }
    // After main.js has titled the dashboard it opens behind the view.
    window.setTimeout(() => {
      if (mine === generation) document.title = 'Admin · blynkd';
    }, 0);
    if (view?.credentials !== credentials) {
      view?.destroy();
      view = null;
      const signedIn = credentials;
      const { AdminView } = await import('./view.js');
      if (mine !== generation || credentials !== signedIn) return;
      view = new AdminView(section, signedIn);
    }
    view.start();
  }

  window.addEventListener('hashchange', () => void update());
  return {
    signedIn(next) {
      // The same session again after a reconnection keeps its view.
      if (credentials?.email !== next.email || credentials.csrf !== next.csrf) credentials = next;
      void update();
    },
    signedOut() {
      credentials = null;
      view?.destroy();
      view = null;
      void update();
    },
  };
}
