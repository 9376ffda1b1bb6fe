import { ManifestValidationError, manifestProblems, parseManifestText, validateManifests } from '../../../src/manifests';
import { KubeObject } from '../../../src/model';

const errorText = (objs: KubeObject[], opts = {}): string => {
  try {
    validateManifests(objs, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestValidationError);
    return (e as Error).message;
  }
  return '(valid)';
};

describe('validateManifests', () => {
  test('valid manifests pass, including generateName sync hooks and multi-phase hooks', () => {
    const objs = parseManifestText(
      `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  namespace: shop
  annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/sync-wave: "-1"}
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  namespace: shop
  annotations: {argocd.argoproj.io/hook: PostSync}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: check
  namespace: shop
  annotations: {argocd.argoproj.io/hook: "PreSync,PostSync", argocd.argoproj.io/hook-delete-policy: "HookSucceeded,HookFailed"}
---
apiVersion: v1
kind: Pod
metadata: {name: t, namespace: shop, annotations: {helm.sh/hook: test}}
`,
      'ok.yaml',
    );
    expect(errorText(objs)).toBe('(valid)');
    expect(manifestProblems(objs)).toEqual([]);
  });

  test('every problem is listed, one per line, naming source, object and field', () => {
    const objs = parseManifestText(
      `kind: ConfigMap
metadata: {name: no-api}
---
apiVersion: v1
metadata: {name: no-kind}
---
apiVersion: v1
kind: Secret
---
apiVersion: v1
kind: ConfigMap
metadata: {namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: waves
  annotations: {argocd.argoproj.io/sync-wave: "1.5", helm.sh/hook-weight: high}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: hooks
  annotations: {argocd.argoproj.io/hook: "PreSync,Skip,Deploy", argocd.argoproj.io/hook-delete-policy: Always}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: numbers
  labels: {tier: 1}
  annotations: {argocd.argoproj.io/sync-wave: 2}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: managed-}
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: backup-
  annotations: {argocd.argoproj.io/hook: PreDelete}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: helm
  annotations: {helm.sh/hook: pre-instal, helm.sh/hook-delete-policy: sometimes}
`,
      'm.yaml',
    );
    expect(errorText(objs)).toBe(
      [
        'Invalid manifests (15 problems):',
        '  m.yaml:1: ConfigMap no-api: apiVersion: is required',
        '  m.yaml:4: (no kind) no-kind: kind: is required',
        '  m.yaml:7: Secret (no name): metadata.name: is required',
        '  m.yaml:10: ConfigMap shop/(no name): metadata.name: is required',
        '  m.yaml:14: ConfigMap waves: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be an integer, got "1.5"',
        '  m.yaml:14: ConfigMap waves: metadata.annotations["helm.sh/hook-weight"]: must be an integer, got "high"',
        '  m.yaml:20: Job hooks: metadata.annotations["argocd.argoproj.io/hook"]: unknown hook type "Deploy" (expected one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip)',
        '  m.yaml:20: Job hooks: metadata.annotations["argocd.argoproj.io/hook"]: Skip cannot be combined with another hook type',
        '  m.yaml:20: Job hooks: metadata.annotations["argocd.argoproj.io/hook-delete-policy"]: unknown delete policy "Always" (expected BeforeHookCreation, HookSucceeded or HookFailed)',
        '  m.yaml:26: ConfigMap numbers: metadata.labels["tier"]: must be a string, got 1 (quote the value)',
        '  m.yaml:26: ConfigMap numbers: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be a string, got 2 (quote the value)',
        '  m.yaml:33: Job managed-*: metadata.generateName: is only supported for sync-phase hooks (PreSync, Sync, PostSync, SyncFail); set metadata.name',
        '  m.yaml:37: Job backup-*: metadata.generateName: is only supported for sync-phase hooks (PreSync, Sync, PostSync, SyncFail); set metadata.name',
        '  m.yaml:43: Job helm: metadata.annotations["helm.sh/hook"]: unknown Helm hook "pre-instal"',
        '  m.yaml:43: Job helm: metadata.annotations["helm.sh/hook-delete-policy"]: unknown Helm delete policy "sometimes"',
      ].join('\n'),
    );
  });

  test('an object without metadata', () => {
    expect(errorText([{ apiVersion: 'v1', kind: 'ConfigMap' } as KubeObject])).toBe('Invalid manifests (1 problem):\n  ConfigMap (no name): metadata.name: is required');
  });

  test('duplicates: same group/kind/namespace/name, across API versions, after the default namespace', () => {
    const objs = parseManifestText(
      `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
---
apiVersion: example.com/v2
kind: Widget
metadata: {name: w}
---
apiVersion: other.io/v1
kind: Widget
metadata: {name: w}
---
apiVersion: v1
kind: Secret
metadata: {name: cfg, namespace: shop}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: run-, annotations: {argocd.argoproj.io/hook: PreSync}}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: run-, annotations: {argocd.argoproj.io/hook: "PostSync,PreSync"}}
`,
      'dup.yaml',
    );
    expect(errorText(objs)).toBe(
      [
        'Invalid manifests (2 problems):',
        '  dup.yaml:13: Widget w: metadata.name: duplicate object: Widget w is also defined at dup.yaml:9',
        '  dup.yaml:29: Job run-*: metadata.name: duplicate object: Job run-* is also defined at dup.yaml:25',
      ].join('\n'),
    );
    expect(errorText(objs, { defaultNamespace: 'shop' })).toBe(
      [
        'Invalid manifests (3 problems):',
        '  dup.yaml:5: ConfigMap shop/cfg: metadata.name: duplicate object: ConfigMap shop/cfg is also defined at dup.yaml:1',
        '  dup.yaml:13: Widget w: metadata.name: duplicate object: Widget shop/w is also defined at dup.yaml:9',
        '  dup.yaml:29: Job run-*: metadata.name: duplicate object: Job shop/run-* is also defined at dup.yaml:25',
      ].join('\n'),
    );
  });

  test('cluster-scoped objects are not given the default namespace', () => {
    const ns = (name: string, namespace?: string): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, namespace } });
    expect(manifestProblems([ns('r'), ns('r')], { defaultNamespace: 'x' }).map((p) => p.message)).toEqual(['duplicate object: ClusterRole r is also defined']);
  });

  test('problems carry source, object, field and message', () => {
    const [o] = parseManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {argocd.argoproj.io/hook: Nope}\n', 'p.yaml');
    expect(manifestProblems([o])).toEqual([
      {
        source: 'p.yaml:1',
        object: 'ConfigMap c',
        field: 'metadata.annotations["argocd.argoproj.io/hook"]',
        message: 'unknown hook type "Nope" (expected one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip)',
      },
    ]);
  });
});
