/**
 * Secret data out of the manifest list. Pulumi marks secrets per input property: if the manifest
 * list itself were secret whenever a chart holds a Secret, `pulumi preview --diff` could show
 * nothing of any object. So the values of every v1 Secret's `data`/`stringData` move to a separate
 * input, `secretData` (secret), keyed by the object's index; the manifest list keeps the Secret
 * with its keys and a placeholder for each value, so the diff still names what changed. The
 * provider merges them back before anything reads the manifests.
 */
import { KubeObject } from '../model';

/** `data`/`stringData` of the Secret at each index of the manifest list. */
export type SecretData = Record<string, { data?: Record<string, unknown>; stringData?: Record<string, unknown> }>;

/** What a Secret's value reads as in the (plaintext) manifest list. */
export const WITHHELD_VALUE = '(secret: in secretData)';

function isSecret(o: KubeObject | undefined): boolean {
  return !!o && typeof o === 'object' && o.kind === 'Secret' && o.apiVersion === 'v1';
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const placeholders = (m: Record<string, unknown>) => Object.fromEntries(Object.keys(m).map((k) => [k, WITHHELD_VALUE]));

export function splitSecretData(manifests: KubeObject[]): { manifests: KubeObject[]; secretData: SecretData } {
  const secretData: SecretData = {};
  const out = manifests.map((m, i) => {
    if (!isSecret(m) || (!isMap(m.data) && !isMap(m.stringData))) return m;
    const copy: KubeObject = { ...m };
    const held: SecretData[string] = {};
    if (isMap(m.data)) {
      held.data = m.data;
      copy.data = placeholders(m.data);
    }
    if (isMap(m.stringData)) {
      held.stringData = m.stringData;
      copy.stringData = placeholders(m.stringData);
    }
    secretData[String(i)] = held;
    return copy;
  });
  return { manifests: out, secretData };
}

/** The manifests as written: each Secret's values back from `secretData` (absent in states from before it existed). */
export function mergeSecretData(manifests: KubeObject[], secretData: SecretData | undefined): KubeObject[] {
  if (!secretData || !Array.isArray(manifests) || Object.keys(secretData).length === 0) return manifests;
  return manifests.map((m, i) => {
    const held = secretData[String(i)];
    if (!held || !isSecret(m)) return m;
    return { ...m, ...(held.data ? { data: held.data } : {}), ...(held.stringData ? { stringData: held.stringData } : {}) };
  });
}
