/**
 * Validation against the cluster before anything is written: every kind is served (or defined by
 * a CRD in the same set), namespaced objects have a namespace that exists (or is created by the
 * set), names are present, and (optionally) the API server accepts each object in a server-side
 * dry run. Every problem is collected; one ClusterValidationError lists them all.
 *
 * Also prepares the objects as they will be written: cluster-scoped kinds lose metadata.namespace
 * (the planner gives every object the default namespace, as Argo CD does).
 */
import { KubeObject, PlanTask, describe, formatKey, groupOf, keyOf, writeOptionsOf } from '../model';
import { isNotFound, refOf } from './client';
import { mapLimit } from './concurrency';
import { ClusterValidationError, ValidationProblem } from './errors';
import { Operation } from './operation';
import { deletesBeforeCreation } from './policy';
import { dryRunResource, writeOpts } from './write';
import { unadmittedResources } from './admission';
import { surelyValid } from './local-check';
import { LOCAL_CHECK_MIN, SIBLING_MIN } from './constants';
import { SIBLING_KINDS, siblingShape } from './siblings';

interface KindInfo {
  served: boolean;
  namespaced?: boolean;
}

/** `apiVersion|kind` → scope, for kinds defined by CRDs in the set. */
function crdKinds(objects: KubeObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = o.spec ?? {};
    for (const v of spec.versions ?? (spec.version ? [{ name: spec.version }] : [])) {
      if (v.served === false) continue;
      out.set(`${spec.group}/${v.name}|${spec.names?.kind}`, spec.scope !== 'Cluster');
    }
  }
  return out;
}

function dryRunBody(task: PlanTask, obj: KubeObject): { body: KubeObject; create: boolean } {
  const generated = !!task.generateName || !obj.metadata.name;
  if (task.isHook && (generated || deletesBeforeCreation(task))) {
    // The hook will be (re)created: validate a create under a throwaway name.
    const body = structuredClone(obj);
    body.metadata.generateName = generated ? (task.generateName ?? obj.metadata.generateName) : `${obj.metadata.name}-`;
    delete body.metadata.name;
    return { body, create: true };
  }
  return { body: obj, create: false };
}

/**
 * Validates `tasks` against the cluster, fills `op.prepared`, and throws ClusterValidationError
 * listing every problem. Errors talking to the cluster at all are rethrown as they are.
 */
export async function validateTasks(op: Operation, tasks: PlanTask[], opts: { dryRun: boolean }): Promise<void> {
  const problems: ValidationProblem[] = [];
  const applies = tasks.filter((t) => t.action === 'apply');
  const crds = crdKinds(applies.map((t) => t.object));
  const planNamespaces = new Set(applies.filter((t) => t.object.kind === 'Namespace' && !t.object.apiVersion.includes('/')).map((t) => t.object.metadata.name!));

  // Discovery, once per kind.
  const kinds = new Map<string, KindInfo>();
  await mapLimit([...new Set(tasks.map((t) => `${t.object.apiVersion}|${t.object.kind}`))], op.o.concurrency, async (id) => {
    const [apiVersion, kind] = id.split('|');
    const namespaced = await op.client.isNamespaced(apiVersion, kind);
    kinds.set(id, namespaced === undefined ? { served: false, namespaced: crds.get(id) } : { served: true, namespaced });
  });

  const namespacesToCheck = new Set<string>();
  for (const task of tasks) {
    const obj = task.object;
    const about = { key: formatKey(keyOf(obj)), object: describe(obj) };
    const problem = (message: string) => problems.push({ ...about, message });
    if (!obj.apiVersion || !obj.kind) {
      problem('apiVersion and kind are required');
      continue;
    }
    if (!obj.metadata?.name && !(task.isHook && (task.generateName || obj.metadata?.generateName))) {
      problem(task.isHook ? 'metadata.name or metadata.generateName is required' : 'metadata.name is required (generateName is only for hooks)');
    }
    const info = kinds.get(`${obj.apiVersion}|${obj.kind}`)!;
    if (!info.served && !crds.has(`${obj.apiVersion}|${obj.kind}`)) {
      // Pruning an object whose kind is gone is a no-op, not a problem. SkipDryRunOnMissingResource=true
      // (gitops-engine getSyncTasks): the kind is expected to exist by the time it is applied.
      if (task.action === 'apply' && writeOptionsOf(obj).skipDryRunOnMissingResource) {
        op.warn(`${describe(obj)}: kind ${obj.kind} is not served at ${obj.apiVersion} yet; not validated (SkipDryRunOnMissingResource=true)`, about.key);
      } else if (task.action === 'apply') problem(`kind ${obj.kind} is not served by the cluster at ${obj.apiVersion}, and no CustomResourceDefinition in the manifests defines it`);
      op.prepared.set(task, obj);
      continue;
    }
    const prepared = structuredClone(obj);
    if (info.namespaced === false && prepared.metadata.namespace) delete prepared.metadata.namespace;
    if (info.namespaced && task.action === 'apply') {
      if (!prepared.metadata.namespace) problem(`${obj.kind} is namespaced but has no metadata.namespace (plan with a defaultNamespace)`);
      else if (!planNamespaces.has(prepared.metadata.namespace)) namespacesToCheck.add(prepared.metadata.namespace);
    }
    op.prepared.set(task, task.action === 'apply' ? op.own(prepared) : prepared);
  }

  const missingNamespaces = new Set<string>();
  await mapLimit([...namespacesToCheck], op.o.concurrency, async (ns) => {
    if (!(await op.client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))) missingNamespaces.add(ns);
  });
  for (const ns of [...missingNamespaces].sort()) {
    const users = applies.filter((t) => op.prepared.get(t)?.metadata.namespace === ns).map((t) => describe(t.object));
    problems.push({ message: `namespace "${ns}" does not exist and is not among the manifests (used by ${users.join(', ')})` });
  }

  if (opts.dryRun && problems.length === 0) {
    const candidates = applies.filter((t) => {
      const info = kinds.get(`${t.object.apiVersion}|${t.object.kind}`)!;
      const ns = op.prepared.get(t)?.metadata.namespace;
      return info.served && !(ns && planNamespaces.has(ns) && info.namespaced);
    });
    const checkedLocally = await judgedLocally(op, candidates);
    await mapLimit(candidates.filter((t) => !checkedLocally.has(t)), op.o.dryRunConcurrency, async (task) => {
      const obj = op.prepared.get(task)!;
      const { body, create } = dryRunBody(task, obj);
      try {
        if (create) await op.client.create(body, writeOpts(writeOptionsOf(obj), true));
        else if (task.isHook) await op.client.apply(body, writeOpts(writeOptionsOf(obj), true));
        else await dryRunResource(op, body);
      } catch (err) {
        // A namespace that exists but is not visible yet, etc.: report what the server said.
        const msg = (err as Error).message;
        problems.push({ key: formatKey(keyOf(obj)), object: describe(obj), message: isNotFound(err) ? `not found: ${msg}` : `rejected by the API server (dry run): ${msg}` });
      }
    });
  }

  if (problems.length) throw new ClusterValidationError(problems);
}

/** Core resources whose objects `surelyValid` can judge, by kind. */
const LOCAL_KINDS: Record<string, string> = { ConfigMap: 'configmaps', Secret: 'secrets' };

/**
 * The candidates whose own server dry run can be skipped, because the API server surely accepts
 * them, when no admission webhook or policy can see their kind, and only new objects (an update can
 * be refused for what the live object holds: `immutable: true`, a Job's template):
 * - of many ConfigMaps and Secrets (at least LOCAL_CHECK_MIN), those `surelyValid` accepts
 *   (local-check.ts), but one per kind and namespace, which is still dry-run on the server
 *   (namespace, permissions, quota);
 * - of siblings (siblings.ts: Deployments or Jobs of one shape), all but one per shape, when that
 *   spares at least SIBLING_MIN dry runs.
 * Their server dry runs would cost as much as applying them. Any doubt: dry-run on the server.
 */
async function judgedLocally(op: Operation, candidates: PlanTask[]): Promise<Set<PlanTask>> {
  const local = candidates.filter((t) => {
    const obj = op.prepared.get(t)!;
    const o = writeOptionsOf(obj);
    return !t.isHook && LOCAL_KINDS[obj.kind] && o.validate && !o.replace && surelyValid(obj);
  });
  const byLocalCheck = local.length >= LOCAL_CHECK_MIN ? new Set(local) : new Set<PlanTask>();
  const shapes = new Map<PlanTask, { key: string; fresh: boolean }>();
  for (const t of candidates) {
    if (byLocalCheck.has(t)) continue;
    const obj = op.prepared.get(t)!;
    const o = writeOptionsOf(obj);
    if (!o.validate || o.replace || o.force || obj.metadata.resourceVersion) continue;
    // A hook validated as a create under a throwaway name is new whatever exists now.
    const fresh = dryRunBody(t, obj).create;
    const key = siblingShape(obj, `${t.isHook}|${fresh}|${JSON.stringify(o)}`);
    if (key) shapes.set(t, { key, fresh });
  }
  const shapeSizes = new Map<string, number>();
  for (const { key } of shapes.values()) shapeSizes.set(key, (shapeSizes.get(key) ?? 0) + 1);
  const spared = [...shapeSizes.values()].reduce((n, size) => n + size - 1, 0);
  if (spared < SIBLING_MIN) shapes.clear();
  if (byLocalCheck.size === 0 && shapes.size === 0) return new Set();

  const resourceOf = (obj: KubeObject) => (LOCAL_KINDS[obj.kind] && obj.apiVersion === 'v1' ? LOCAL_KINDS[obj.kind] : SIBLING_KINDS[`${obj.apiVersion}|${obj.kind}`]);
  const judged = [...byLocalCheck, ...shapes.keys()];
  const open = await unadmittedResources(op.client, [...new Set(judged.map((t) => resourceOf(t.object)))]);
  // What exists already, one list per kind and namespace.
  const listKey = (obj: KubeObject) => `${obj.apiVersion}|${obj.kind}|${obj.metadata.namespace ?? ''}`;
  const existing = new Set<string>();
  const toList = judged.filter((t) => open.has(resourceOf(t.object)) && !shapes.get(t)?.fresh).map((t) => listKey(op.prepared.get(t)!));
  await mapLimit([...new Set(toList)], op.o.concurrency, async (g) => {
    const [apiVersion, kind, namespace] = g.split('|');
    for (const o of await op.client.list({ apiVersion, kind, namespace })) existing.add(`${g}|${o.metadata.name}`);
  });
  const isNew = (t: PlanTask) => {
    const obj = op.prepared.get(t)!;
    return shapes.get(t)?.fresh || (!existing.has(`${listKey(obj)}|${obj.metadata.name}`) && !op.writtenBefore(refOf(obj)));
  };

  const out = new Set<PlanTask>();
  const represented = new Set<string>();
  for (const t of judged) {
    if (!open.has(resourceOf(t.object)) || !isNew(t)) continue;
    const group = byLocalCheck.has(t) ? `local|${listKey(op.prepared.get(t)!)}` : shapes.get(t)!.key;
    if (represented.has(group)) out.add(t);
    else represented.add(group);
  }
  return out;
}
