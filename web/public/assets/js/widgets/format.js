// The app's value formatting: "/pin/" is the raw value, "/pin./" the value rounded to a whole
// number, "/pin.#/" to one decimal, "/pin.##/" to two, and so on. Other text is kept.

const PLACEHOLDER = /\/pin(\.(#*))?\//g;

/**
 * @param {string} template  e.g. "Temp /pin.#/ °C"; empty means the raw value
 * @param {string} value
 */
export function formatValue(template, value) {
  if (!template) return value;
  return template.replace(PLACEHOLDER, (_match, dot, hashes) => {
    const number = Number.parseFloat(value);
    if (dot === undefined || !Number.isFinite(number)) return value;
    return number.toFixed(hashes.length);
  });
}
