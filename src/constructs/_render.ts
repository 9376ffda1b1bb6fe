/**
 * Internal: validation and rendering of the pod fields in `pod.ts` to Kubernetes JSON.
 * @internal
 */
import { EnvFromSource, EnvValue, HookVolume, ResourceRequirements, SecretKeyRef, Toleration, VolumeMount } from './pod';
import { checkDnsLabel, checkDnsName, checkInteger, checkNonEmpty, Problems, quote } from './_validate';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks that `v` is a `{ secretName, key }` reference. An inline string is reported as a leaked
 * secret, with the fix.
 */
export function checkSecretRef(p: Problems, prop: string, v: unknown, what: string): void {
  if (typeof v === 'string') {
    p.add(
      prop,
      `must be a Secret key reference { secretName, key }, not an inline value: store the ${what} in a Secret and reference it`,
    );
    return;
  }
  if (!isObject(v)) {
    p.add(prop, `must be a Secret key reference { secretName, key }, got ${quote(v)}`);
    return;
  }
  checkDnsName(p, `${prop}.secretName`, v.secretName);
  checkNonEmpty(p, `${prop}.key`, v.key);
}

export function renderSecretKeyRef(ref: SecretKeyRef): Record<string, unknown> {
  return { name: ref.secretName, key: ref.key, optional: ref.optional };
}

export function checkEnv(p: Problems, prop: string, env: Record<string, EnvValue> | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    const at = `${prop}.${name}`;
    if (name.length === 0 || name.includes('=')) p.add(at, 'an environment variable name must be non-empty and must not contain "="');
    if (typeof value === 'string') continue;
    if (isObject(value) && 'secretKeyRef' in value) checkSecretRef(p, `${at}.secretKeyRef`, value.secretKeyRef, 'value');
    else if (isObject(value) && 'configMapKeyRef' in value && isObject(value.configMapKeyRef)) {
      checkDnsName(p, `${at}.configMapKeyRef.configMapName`, value.configMapKeyRef.configMapName);
      checkNonEmpty(p, `${at}.configMapKeyRef.key`, value.configMapKeyRef.key);
    } else if (isObject(value) && 'fieldPath' in value) checkNonEmpty(p, `${at}.fieldPath`, value.fieldPath);
    else p.add(at, 'must be a string, { secretKeyRef }, { configMapKeyRef } or { fieldPath }');
  }
}

export function renderEnv(env: Record<string, EnvValue>): Array<Record<string, unknown>> {
  return Object.entries(env).map(([name, value]) => {
    if (typeof value === 'string') return { name, value };
    if ('secretKeyRef' in value) return { name, valueFrom: { secretKeyRef: renderSecretKeyRef(value.secretKeyRef) } };
    if ('configMapKeyRef' in value) {
      const r = value.configMapKeyRef;
      return { name, valueFrom: { configMapKeyRef: { name: r.configMapName, key: r.key, optional: r.optional } } };
    }
    return { name, valueFrom: { fieldRef: { fieldPath: value.fieldPath } } };
  });
}

export function checkEnvFrom(p: Problems, prop: string, envFrom: readonly EnvFromSource[] | undefined): void {
  (envFrom ?? []).forEach((s, i) => {
    if (isObject(s) && 'secretName' in s) checkDnsName(p, `${prop}[${i}].secretName`, s.secretName);
    else if (isObject(s) && 'configMapName' in s) checkDnsName(p, `${prop}[${i}].configMapName`, s.configMapName);
    else p.add(`${prop}[${i}]`, 'must be { secretName } or { configMapName }');
  });
}

export function renderEnvFrom(envFrom: readonly EnvFromSource[]): Array<Record<string, unknown>> {
  return envFrom.map((s) =>
    'secretName' in s
      ? { prefix: s.prefix, secretRef: { name: s.secretName, optional: s.optional } }
      : { prefix: s.prefix, configMapRef: { name: s.configMapName, optional: s.optional } },
  );
}

export function checkVolumes(
  p: Problems,
  volumes: readonly HookVolume[] | undefined,
  mounts: readonly VolumeMount[] | undefined,
): void {
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const at = `volumes[${i}]`;
    checkDnsLabel(p, `${at}.name`, v.name);
    if (names.has(v.name)) p.add(`${at}.name`, `volume "${v.name}" is defined twice`);
    names.add(v.name);
    const sources = ['persistentVolumeClaim', 'secret', 'configMap', 'emptyDir'].filter((k) => k in v);
    if (sources.length !== 1) {
      p.add(at, `must have exactly one of persistentVolumeClaim, secret, configMap, emptyDir (got ${sources.length})`);
    } else if ('persistentVolumeClaim' in v) checkDnsName(p, `${at}.persistentVolumeClaim.claimName`, v.persistentVolumeClaim.claimName);
    else if ('secret' in v) checkDnsName(p, `${at}.secret.secretName`, v.secret.secretName);
    else if ('configMap' in v) checkDnsName(p, `${at}.configMap.configMapName`, v.configMap.configMapName);
  });
  (mounts ?? []).forEach((m, i) => {
    const at = `volumeMounts[${i}]`;
    if (!names.has(m.volume)) p.add(`${at}.volume`, `refers to volume "${m.volume}", which is not in 'volumes'`);
    if (typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) p.add(`${at}.mountPath`, `must be an absolute path, got ${quote(m.mountPath)}`);
  });
}

export function renderVolume(v: HookVolume): Record<string, unknown> {
  if ('persistentVolumeClaim' in v) return { name: v.name, persistentVolumeClaim: { ...v.persistentVolumeClaim } };
  if ('secret' in v) return { name: v.name, secret: { ...v.secret } };
  if ('configMap' in v) {
    const c = v.configMap;
    return { name: v.name, configMap: { name: c.configMapName, defaultMode: c.defaultMode, optional: c.optional } };
  }
  return { name: v.name, emptyDir: { ...v.emptyDir } };
}

export function renderVolumeMount(m: VolumeMount): Record<string, unknown> {
  return { name: m.volume, mountPath: m.mountPath, readOnly: m.readOnly, subPath: m.subPath };
}

export function checkTolerations(p: Problems, tolerations: readonly Toleration[] | undefined): void {
  (tolerations ?? []).forEach((t, i) => {
    if (t.operator === 'Exists' && t.value !== undefined) p.add(`tolerations[${i}].value`, "must be empty when operator is 'Exists'");
    checkInteger(p, `tolerations[${i}].tolerationSeconds`, t.tolerationSeconds);
  });
}

export function renderResources(r: ResourceRequirements | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  return { requests: r.requests ? { ...r.requests } : undefined, limits: r.limits ? { ...r.limits } : undefined };
}

/** Labels and annotations set by the user must not smuggle in Argo CD keys (use the props instead). */
export function checkNoArgoKeys(p: Problems, prop: string, map: Record<string, string> | undefined, hint: string): void {
  for (const k of Object.keys(map ?? {})) {
    if (k.startsWith('argocd.argoproj.io/')) p.add(`${prop}["${k}"]`, `Argo CD keys are set by the construct; ${hint}`);
  }
}
