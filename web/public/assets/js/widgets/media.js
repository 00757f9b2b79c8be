// Image gallery and Video stream. The console's Content-Security-Policy lets images load only
// from this server, so a picture on another host is shown as a link to open it; a video stream
// is always a link (browsers do not play RTSP, and the stream's host is not this server).

import { WidgetView, element, toNumber } from './base.js';

/** @typedef {import('./base.js').WidgetContext} WidgetContext */
/** @typedef {import('../profile.js').Widget} Widget */

/**
 * A link that opens `url` in a new tab, or null for a URL the page must not follow.
 * @param {string} url
 * @param {string} text
 */
function externalLink(url, text) {
  let parsed;
  try {
    parsed = new URL(url, location.href);
  } catch {
    return null;
  }
  // javascript: and data: links would run or render content in the console's own origin.
  if (!['http:', 'https:', 'rtsp:', 'rtmp:'].includes(parsed.protocol)) return null;
  const link = /** @type {HTMLAnchorElement} */ (element('a', 'media__link', text));
  link.href = parsed.href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

class ImageView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    /** @type {string[]} */
    this.urls = Array.isArray(widget.urls) ? widget.urls.map(String) : [];
    this.selected = 1; // the pin chooses a picture, counting from 1
    this.opacity = toNumber(widget.opacity, 100);
    this.scale = toNumber(widget.scale, 100);
    this.rotation = toNumber(widget.rotation, 0);
    this.shownUrl = '';
    this.body.classList.add('widget__body--media');
    if (widget.scaling === 'FILL') this.body.classList.add('widget__body--fill');
  }

  /** @param {number} _index @param {string[]} values */
  accept(_index, values) {
    this.selected = toNumber(values[0], 1);
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    switch (name) {
      case 'urls':
        this.urls = value.split('\0');
        return true;
      case 'url': {
        // "url" replaces one picture: index (from 1), then the address.
        const [index, url] = value.split('\0');
        const i = toNumber(index, 0) - 1;
        if (url !== undefined && i >= 0 && i < this.urls.length) this.urls[i] = url;
        return true;
      }
      case 'opacity':
        this.opacity = toNumber(value, this.opacity);
        return true;
      case 'scale':
        this.scale = toNumber(value, this.scale);
        return true;
      case 'rotation':
        this.rotation = toNumber(value, this.rotation);
        return true;
      default:
        return false;
    }
  }

  draw() {
    const url = this.urls[this.selected - 1] ?? this.urls[0] ?? '';
    if (url !== this.shownUrl) {
      this.shownUrl = url;
      this.body.replaceChildren(this.picture(url));
    }
    const picture = this.body.firstElementChild;
    if (picture instanceof HTMLImageElement) {
      picture.style.opacity = String(this.opacity / 100);
      picture.style.transform = `scale(${this.scale / 100}) rotate(${this.rotation}deg)`;
    }
  }

  /** @param {string} url */
  picture(url) {
    if (url === '') return element('span', 'media__empty', 'no image');
    let sameOrigin = false;
    try {
      sameOrigin = new URL(url, location.href).origin === location.origin;
    } catch {
      return element('span', 'media__empty', 'bad image address');
    }
    if (!sameOrigin) return externalLink(url, 'open image ↗') ?? element('span', 'media__empty', 'bad image address');
    const image = /** @type {HTMLImageElement} */ (element('img', 'media__image'));
    image.alt = this.label || 'image';
    image.src = url;
    return image;
  }
}

class VideoView extends WidgetView {
  /** @param {Widget} widget @param {WidgetContext} context */
  constructor(widget, context) {
    super(widget, context);
    this.url = typeof widget.url === 'string' ? widget.url : '';
    /** @type {string | null} */
    this.shownUrl = null;
    this.body.classList.add('widget__body--media');
  }

  /** @param {string} name @param {string} value */
  acceptProperty(name, value) {
    if (name !== 'url') return false;
    this.url = value;
    return true;
  }

  draw() {
    if (this.url === this.shownUrl) return;
    this.shownUrl = this.url;
    const link = this.url ? externalLink(this.url, '▶ stream ↗') : null;
    this.body.replaceChildren(link ?? element('span', 'media__empty', 'no stream address'));
  }
}

/** @type {Record<string, (widget: Widget, context: WidgetContext) => WidgetView>} */
export const renderers = {
  IMAGE: (widget, context) => new ImageView(widget, context),
  VIDEO: (widget, context) => new VideoView(widget, context),
};
