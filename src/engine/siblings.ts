/**
 * Siblings: objects of one chart that differ only where the API server's checks are syntactic. A
 * chart often holds many Deployments or Jobs generated from one template: the same spec, their
 * own name (also used as a label value: `app: <name>`), their own labels and annotations (a sync
 * wave). The server accepts or refuses such objects alike, so validation dry-runs one per shape and
 * checks the rest of its shape locally.
 *
 * `siblingShape` is the key of an object's shape, or undefined when the object may not be judged
 * by its shape. Two objects have the same key when they are:
 * - of one of a few built-in kinds whose server-side validation looks at the name and at the
 *   metadata's labels and annotations only through their syntax (length, characters) — a custom
 *   resource may look at anything (CEL rules), a Service allocates ports;
 * - in the same namespace, with nothing but name, namespace, labels and annotations in metadata;
 * - equal once their name is masked wherever it appears as a whole string value (selector and
 *   template labels, a container name), and the values of their own labels and annotations are
 *   masked (those are checked here: `labelsOk`, `annotationsOk`);
 * - named alike: the same length and the same class of character at each position (letter, digit,
 *   `-`, `.`), so that every length or character rule the name meets in one it meets in the other
 *   (a container name is a DNS label, a port name needs a letter, a Job's name becomes a label).
 * Pure.
 */
import { KubeObject } from '../model';
import { PLAIN_METADATA, annotationsOk, dnsSubdomain, isPlainObject, labelsOk } from './local-check';

/** The kinds judged by shape, by `apiVersion|kind`, with their resource (`group/plural`). */
export const SIBLING_KINDS: Readonly<Record<string, string>> = {
  'apps/v1|Deployment': 'apps/deployments',
  'batch/v1|Job': 'batch/jobs',
};

const NAME = '\u0000name';
const MASKED = '\u0000';

/** The name's class of character at each position: `a` letter, `0` digit, else the character itself. */
export function namePattern(name: string): string {
  return name.replace(/[a-z]/g, 'a').replace(/[0-9]/g, '0');
}

/** JSON with sorted keys; every string equal to `name` replaced by a marker. */
function canonical(v: unknown, name: string): string {
  if (typeof v === 'string') return JSON.stringify(v === name ? NAME : v);
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, name)).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k], name)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const maskValues = (m: unknown) => (isPlainObject(m) ? Object.fromEntries(Object.keys(m).map((k) => [k, MASKED])) : m);

/**
 * The key of `obj`'s shape (see the module comment), or undefined when it is not to be judged by
 * shape. `extra`: what else must be equal (how the object is written, whether it is validated as a
 * create).
 */
export function siblingShape(obj: KubeObject, extra = ''): string | undefined {
  const id = `${obj.apiVersion}|${obj.kind}`;
  if (!SIBLING_KINDS[id]) return undefined;
  const meta = obj.metadata as unknown;
  if (!isPlainObject(meta) || !Object.keys(meta).every((k) => PLAIN_METADATA.has(k))) return undefined;
  const name = meta.name;
  if (typeof name !== 'string' || !dnsSubdomain(name)) return undefined;
  if (!labelsOk(meta.labels) || !annotationsOk(meta.annotations)) return undefined;
  const masked = { ...obj, metadata: { namespace: meta.namespace, labels: maskValues(meta.labels), annotations: maskValues(meta.annotations) } };
  return `${id}|${meta.namespace ?? ''}|${namePattern(name)}|${extra}|${canonical(masked, name)}`;
}
