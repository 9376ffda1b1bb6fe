/**
 * Internal validation helpers shared by the constructs. Not exported from the package.
 * @internal
 */
import { IConstruct } from 'constructs';
import { HookProblem, HookValidationError } from './errors';

/** Collects problems for one set of props, then throws them together. */
export class Problems {
  public readonly list: HookProblem[] = [];

  add(prop: string, message: string): void {
    this.list.push({ prop, message });
  }

  /** Throws a `HookValidationError` for `path` if any problem was collected. */
  throwIfAny(path: string): void {
    if (this.list.length > 0) throw new HookValidationError(path, this.list);
  }
}

/** The `node.path` a construct with `id` will get under `scope` (so we can validate before `super`). */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Maximum length of a Job name: it is copied into the `job-name` pod label (at most 63 characters). */
export const MAX_JOB_NAME = 63;
/**
 * Maximum length of a hook's `generateName`: Argo CD names such a hook
 * `<generateName><rev7>-<phase>-<unix seconds>` (up to 27 more characters), and the result must still
 * fit a Job name (63).
 */
export const MAX_GENERATE_NAME = 36;

export function quote(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/** DNS-1123 label: namespaces, container and volume names. */
export function checkDnsLabel(p: Problems, prop: string, v: unknown): void {
  if (typeof v !== 'string' || v.length > 63 || !DNS_LABEL.test(v)) {
    p.add(
      prop,
      `${quote(v)} is not a valid DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
    );
  }
}

/** DNS-1123 subdomain of at most `max` characters: object names. */
export function checkDnsName(p: Problems, prop: string, v: unknown, max = 253): void {
  if (typeof v !== 'string' || v.length > max || !DNS_SUBDOMAIN.test(v)) {
    p.add(
      prop,
      `${quote(v)} is not a valid DNS-1123 name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most ${max} characters)`,
    );
  }
}

/** A `generateName` prefix: the API server appends characters, so it may end with '-' or '.'. */
export function checkGenerateName(p: Problems, prop: string, v: unknown): void {
  if (typeof v !== 'string' || !DNS_SUBDOMAIN.test(`${v}a`)) {
    p.add(
      prop,
      `${quote(v)} is not a valid DNS-1123 name prefix (lower-case letters, digits, '-' and '.', starting with a letter or digit)`,
    );
  } else if (v.length > MAX_GENERATE_NAME) {
    p.add(
      prop,
      `"${v}" is ${v.length} characters long; at most ${MAX_GENERATE_NAME} are allowed because Argo CD appends "<revision>-<phase>-<timestamp>" (up to 27 characters) and a Job name is limited to ${MAX_JOB_NAME}`,
    );
  }
}

export function checkInteger(p: Problems, prop: string, v: unknown, min?: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    p.add(prop, `must be an integer, got ${quote(v)}`);
  } else if (min !== undefined && v < min) {
    p.add(prop, `must be at least ${min}, got ${v}`);
  }
}

export function checkNonEmpty(p: Problems, prop: string, v: unknown): void {
  if (typeof v !== 'string' || v.trim().length === 0) p.add(prop, `must be a non-empty string, got ${quote(v)}`);
}

/** Accepts one value or a list; returns the list (a lone value becomes a one-element list). */
export function asList<T>(v: T | readonly T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? [...(v as readonly T[])] : [v as T];
}

/** Returns a DNS-1123 prefix derived from a construct id, for default `generateName`s. */
export function prefixFromId(id: string, fallback: string): string {
  const base = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_GENERATE_NAME - 1)
    .replace(/-+$/, '');
  return `${base || fallback}-`;
}
