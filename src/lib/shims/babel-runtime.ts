/**
 * Stand-ins for the two Babel runtime helpers mimetext's browser build imports (wrangler.toml
 * [alias]). The originals polyfill through core-js-pure (126 KB of the bundle) what workerd has
 * natively: String.prototype.trim and Object.defineProperty.
 */

/** @babel/runtime-corejs3/core-js/instance/trim: answers the value's trim method (called as `trim(s).call(s)`). */
export function trim(value: string): () => string {
  return value.trim;
}

/** @babel/runtime-corejs3/helpers/esm/defineProperty: a class field as an own, enumerable data property. */
export function defineProperty<T extends object>(target: T, key: PropertyKey, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}
