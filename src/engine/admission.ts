/**
 * Which resources no admission webhook or admission policy of the cluster can see: only for those
 * may validation judge objects locally (local-check.ts, siblings.ts) instead of a server dry run of
 * every object. Conservative: a webhook or policy whose rules could match the resource (any
 * operation, any version, any selector), or any answer but a list (forbidden, unreachable), leaves
 * the resource out.
 */
import { KubeClient, isNotFound } from './client';

const GROUP = 'admissionregistration.k8s.io';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
}

/** Whether `rule` may apply to `resource`: `plural` (core group) or `group/plural`. */
function matches(rule: Rule, resource: string): boolean {
  const [group, plural] = resource.includes('/') ? resource.split('/') : ['', resource];
  const groups = rule.apiGroups ?? ['*'];
  if (!groups.includes(group) && !groups.includes('*')) return false;
  return (rule.resources ?? ['*']).some((r) => r === plural || r.startsWith(`${plural}/`) || r.startsWith('*'));
}

/** Lists a cluster-scoped kind at the first served version; [] when no version is served. */
async function listAny(client: KubeClient, kind: string, versions: string[]): Promise<any[]> {
  for (const v of versions) {
    try {
      return await client.list({ apiVersion: `${GROUP}/${v}`, kind });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return [];
}

/** The subset of `resources` (`configmaps` for the core group, `apps/deployments`) that no webhook or policy may see. */
export async function unadmittedResources(client: KubeClient, resources: readonly string[]): Promise<Set<string>> {
  let rules: Rule[];
  try {
    const [mutating, validating, vaps, maps] = await Promise.all([
      listAny(client, 'MutatingWebhookConfiguration', ['v1']),
      listAny(client, 'ValidatingWebhookConfiguration', ['v1']),
      listAny(client, 'ValidatingAdmissionPolicy', ['v1', 'v1beta1']),
      listAny(client, 'MutatingAdmissionPolicy', ['v1', 'v1beta1', 'v1alpha1']),
    ]);
    rules = [
      ...[...mutating, ...validating].flatMap((c) => (c.webhooks ?? []).flatMap((w: { rules?: Rule[] }) => w.rules ?? [{}])),
      // A policy without match constraints is taken to match everything.
      ...[...vaps, ...maps].flatMap((p) => p.spec?.matchConstraints?.resourceRules ?? [{}]),
    ];
  } catch {
    return new Set();
  }
  return new Set(resources.filter((r) => !rules.some((rule) => matches(rule, r))));
}
