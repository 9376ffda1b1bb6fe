/**
 * Where each loaded object came from (`file:line`), kept beside the objects rather than inside them
 * so manifests stay exactly as written.
 */
const SOURCES = new WeakMap<object, string>();

/** The `file:line` an object was loaded from, if it was loaded by this module. */
export function sourceOf(obj: object): string | undefined {
  return SOURCES.get(obj);
}

/** @internal Records the source of an object and returns the object. */
export function recordSource<T extends object>(obj: T, source: string): T {
  SOURCES.set(obj, source);
  return obj;
}
