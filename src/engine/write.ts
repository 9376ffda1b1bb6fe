/**
 * How a managed object is written, per its sync options (Argo CD `applyObject` in gitops-engine
 * `pkg/sync/sync_context.go`):
 * - default: server-side apply (field manager sync-hooks, conflicts forced);
 * - `Replace=true`: create when absent, else replace (PUT) at the live resourceVersion; with
 *   `Force=true`, delete and re-create. CRDs and Namespaces are only ever updated (PUT), never
 *   re-created: that would delete every instance / everything inside;
 * - `Force=true` without Replace: apply, and when the server refuses the change as invalid (422,
 *   e.g. an immutable field of a Job), delete and re-create (kubectl apply --force);
 * - validation as kubectl's default `--validate=strict` (what Argo CD runs): `fieldValidation=Strict`,
 *   so an unknown or duplicate field is an error naming it (the API server's own default only
 *   warns); `Validate=false`: `fieldValidation=Ignore` (kubectl --validate=false). A server-side
 *   apply cannot ignore an unknown field (its typed patch rejects it: "field not declared in
 *   schema"), so such objects are written as with Replace=true (create, or PUT), which can.
 */
import { KubeObject, WriteOptions, describe, groupOf, writeOptionsOf } from '../model';
import { KubeApiError, WriteOpts, isConflict, refOf } from './client';
import { Operation } from './operation';
import { waitGone } from './wait';

export function neverRecreated(obj: KubeObject): boolean {
  return (obj.kind === 'Namespace' && obj.apiVersion === 'v1') || (obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion) === 'apiextensions.k8s.io');
}

export function writeOpts(o: WriteOptions, dryRun = false): WriteOpts {
  return { ...(dryRun ? { dryRun } : {}), fieldValidation: o.validate ? 'Strict' : 'Ignore' };
}

async function recreate(op: Operation, obj: KubeObject, live: KubeObject, why: string, opts: WriteOpts): Promise<KubeObject> {
  const ref = refOf(obj);
  op.warn(`${describe(obj)}: deleted and re-created (${why})`);
  await op.client.delete(ref, { propagationPolicy: 'Foreground' });
  await waitGone(op, ref, live.metadata.uid, { signal: op.signal });
  return op.client.create(obj, opts);
}

/** Writes a managed object as its sync options say; resolves with the live object. */
export async function writeResource(op: Operation, obj: KubeObject): Promise<KubeObject> {
  const o = writeOptionsOf(obj);
  const opts = writeOpts(o);
  if (o.replace || !o.validate) {
    const live = await op.client.get(refOf(obj));
    if (!live) return op.client.create(obj, opts);
    if (o.force && !neverRecreated(obj)) return recreate(op, obj, live, 'Replace=true,Force=true', opts);
    return op.client.replace({ ...obj, metadata: { ...obj.metadata, resourceVersion: live.metadata.resourceVersion } }, opts);
  }
  try {
    return await op.client.apply(obj, opts);
  } catch (err) {
    if (!o.force || neverRecreated(obj) || !(err instanceof KubeApiError) || err.status !== 422) throw err;
    const live = await op.client.get(refOf(obj));
    if (!live) throw err;
    return recreate(op, obj, live, `Force=true: the server refused the change: ${err.message}`, opts);
  }
}

/** The server dry run of what `writeResource` will do (validation before any write). */
export async function dryRunResource(op: Operation, obj: KubeObject): Promise<void> {
  const o = writeOptionsOf(obj);
  const opts = writeOpts(o, true);
  const asNew = async () => {
    // The object as it will be re-created: a create under a throwaway name.
    const body = structuredClone(obj);
    body.metadata.generateName = `${obj.metadata.name}-`;
    delete body.metadata.name;
    await op.client.create(body, opts);
  };
  if (o.replace || !o.validate) {
    const live = await op.client.get(refOf(obj));
    if (!live) return void (await op.client.create(obj, opts));
    if (o.force && !neverRecreated(obj)) return asNew();
    return void (await op.client.replace({ ...obj, metadata: { ...obj.metadata, resourceVersion: live.metadata.resourceVersion } }, opts));
  }
  // An object that is probably new is validated as the create its server-side apply will be: the
  // server's create path does the same admission and validation at about half the cost of an apply's
  // dry run. If it exists after all (409), it is validated as the apply, below.
  if (!op.writtenBefore(refOf(obj)) && !obj.metadata.resourceVersion) {
    try {
      return void (await op.client.create(obj, opts));
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
  try {
    await op.client.apply(obj, opts);
  } catch (err) {
    if (!o.force || neverRecreated(obj) || !(err instanceof KubeApiError) || err.status !== 422) throw err;
    await asNew();
  }
}
