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
import { isNotFound } from './client';
import { mapLimit } from './concurrency';
import { ClusterValidationError, ValidationProblem } from './errors';
import { Operation } from './operation';
import { deletesBeforeCreation } from './policy';
import { dryRunResource, writeOpts } from './write';
import { unadmittedCoreResources } from './admission';
import { surelyValid } from './local-check';
import { LOCAL_CHECK_MIN } from './constants';

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
    const checkedLocally = await locallyValid(op, candidates);
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
 * Of many ConfigMaps and Secrets (at least LOCAL_CHECK_MIN): the new ones the API server surely
 * accepts (local-check.ts) when no admission webhook or policy can see their kind, except one per
 * kind and namespace, which is still dry-run on the server (namespace, permissions, quota). Their
 * server dry runs would cost as much as applying them. Fewer objects, one that exists already, or
 * any doubt: dry-run on the server.
 */
async function locallyValid(op: Operation, candidates: PlanTask[]): Promise<Set<PlanTask>> {
  const local = candidates.filter((t) => {
    const obj = op.prepared.get(t)!;
    const o = writeOptionsOf(obj);
    return !t.isHook && LOCAL_KINDS[obj.kind] && o.validate && !o.replace && surelyValid(obj);
  });
  if (local.length < LOCAL_CHECK_MIN) return new Set();
  const open = await unadmittedCoreResources(op.client, [...new Set(local.map((t) => LOCAL_KINDS[t.object.kind]))]);
  // Only new objects: an update can be refused for what the live object holds (immutable: true).
  const groupKey = (t: PlanTask) => `${t.object.kind}|${op.prepared.get(t)!.metadata.namespace ?? ''}`;
  const groups = [...new Set(local.map(groupKey))];
  const existing = new Set<string>();
  await mapLimit(groups, op.o.concurrency, async (g) => {
    const [kind, namespace] = g.split('|');
    if (!open.has(LOCAL_KINDS[kind])) return;
    for (const o of await op.client.list({ apiVersion: 'v1', kind, namespace })) existing.add(`${g}|${o.metadata.name}`);
  });
  const out = new Set<PlanTask>();
  const represented = new Set<string>();
  for (const t of local) {
    const group = groupKey(t);
    if (!open.has(LOCAL_KINDS[t.object.kind]) || existing.has(`${group}|${op.prepared.get(t)!.metadata.name}`)) continue;
    if (represented.has(group)) out.add(t);
    else represented.add(group);
  }
  return out;
}
