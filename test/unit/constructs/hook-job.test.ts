import { ApiObject, JsonPatch } from 'cdk8s';
import { HOOK_JOB_DEFAULTS, HookJob, HookJobProps, HookValidationError } from '../../../src/constructs';
import { container, newChart, only, validationError } from './_helpers';

const base: HookJobProps = { phase: 'PreSync', image: 'alpine:3.20' };

describe('HookJob manifest', () => {
  test('minimal props: hook annotation only, documented defaults, chart-generated name', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'migrate', base);
    expect(job.name).toMatch(/^test-migrate-[0-9a-f]{8}$/);
    expect(only(chart)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: job.name, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: 600,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'alpine:3.20' }] } },
      },
    });
    expect(HOOK_JOB_DEFAULTS).toEqual({ restartPolicy: 'Never', backoffLimit: 0, activeDeadlineSeconds: 600, containerName: 'main' });
  });

  test('resolved fields', () => {
    const job = new HookJob(newChart(), 'j', { ...base, phase: ['PreSync', 'PostSync'], wave: -3, deletePolicy: ['BeforeHookCreation', 'HookSucceeded'] });
    expect(job.phases).toEqual(['PreSync', 'PostSync']);
    expect(job.skip).toBe(false);
    expect(job.wave).toBe(-3);
    expect(job.deletePolicies).toEqual(['BeforeHookCreation', 'HookSucceeded']);
    expect(job.restartPolicy).toBe('Never');
    expect(job.backoffLimit).toBe(0);
    expect(job.activeDeadlineSeconds).toBe(600);
    expect(job.generateName).toBeUndefined();
  });

  test('phases, delete policies and wave become Argo CD annotations, in the order written', () => {
    const chart = newChart();
    new HookJob(chart, 'j', { ...base, name: 'j', phase: ['PostSync', 'PreSync'], wave: 5, deletePolicy: ['HookFailed', 'HookSucceeded'] });
    expect(only(chart).metadata).toEqual({
      name: 'j',
      annotations: {
        'argocd.argoproj.io/hook': 'PostSync,PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'HookFailed,HookSucceeded',
        'argocd.argoproj.io/sync-wave': '5',
      },
    });
  });

  test('a single delete policy may be given without a list; wave 0 is written when set', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'j', { ...base, deletePolicy: 'HookSucceeded', wave: 0 });
    expect(job.deletePolicies).toEqual(['HookSucceeded']);
    expect(only(chart).metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
      'argocd.argoproj.io/sync-wave': '0',
    });
  });

  test('no wave prop: no sync-wave annotation, wave 0', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'j', base);
    expect(job.wave).toBe(0);
    expect(only(chart).metadata.annotations).not.toHaveProperty(['argocd.argoproj.io/sync-wave']);
  });

  test('generateName: metadata.generateName and no metadata.name', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'j', { ...base, generateName: 'db-migrate-' });
    const m = only(chart);
    expect(m.metadata.generateName).toBe('db-migrate-');
    expect(m.metadata).not.toHaveProperty('name');
    expect(job.name).toBeUndefined();
    expect(job.generateName).toBe('db-migrate-');
  });

  test('Skip alone disables the Job', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'j', { ...base, phase: 'Skip' });
    expect(job.skip).toBe(true);
    expect(job.phases).toEqual([]);
    expect(only(chart).metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'Skip' });
  });

  test('namespace: from the prop, else from the chart', () => {
    const c1 = newChart('apps');
    new HookJob(c1, 'j', base);
    expect(only(c1).metadata.namespace).toBe('apps');
    const c2 = newChart('apps');
    new HookJob(c2, 'j', { ...base, namespace: 'db' });
    expect(only(c2).metadata.namespace).toBe('db');
  });

  test('every pod option is rendered into the Job spec', () => {
    const chart = newChart();
    new HookJob(chart, 'j', {
      ...base,
      name: 'full',
      labels: { team: 'db' },
      annotations: { 'example.com/owner': 'db-team' },
      command: ['/bin/sh', '-c'],
      args: ['echo hi'],
      containerName: 'migrate',
      imagePullPolicy: 'IfNotPresent',
      env: {
        PLAIN: 'v',
        FROM_SECRET: { secretKeyRef: { secretName: 'db', key: 'password' } },
        FROM_CM: { configMapKeyRef: { configMapName: 'cfg', key: 'mode', optional: true } },
        NS: { fieldPath: 'metadata.namespace' },
      },
      envFrom: [{ secretName: 'db-env', prefix: 'DB_' }, { configMapName: 'app-env', optional: true }],
      serviceAccountName: 'migrator',
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      backoffLimit: 2,
      activeDeadlineSeconds: 300,
      ttlSecondsAfterFinished: 3600,
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'data-pvc' } },
        { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
        { name: 'conf', configMap: { configMapName: 'conf' } },
        { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      ],
      volumeMounts: [
        { volume: 'data', mountPath: '/data' },
        { volume: 'creds', mountPath: '/creds', readOnly: true },
        { volume: 'conf', mountPath: '/etc/app/app.yaml', subPath: 'app.yaml' },
      ],
      podLabels: { app: 'shop' },
      podAnnotations: { 'example.com/scrape': 'false' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }, { operator: 'Exists' }],
      restartPolicy: 'OnFailure',
    });
    const m = only(chart);
    expect(m.metadata).toEqual({
      name: 'full',
      labels: { team: 'db' },
      annotations: { 'example.com/owner': 'db-team', 'argocd.argoproj.io/hook': 'PreSync' },
    });
    expect(m.spec).toEqual({
      backoffLimit: 2,
      activeDeadlineSeconds: 300,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { app: 'shop' }, annotations: { 'example.com/scrape': 'false' } },
        spec: {
          restartPolicy: 'OnFailure',
          serviceAccountName: 'migrator',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }, { operator: 'Exists' }],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName: 'data-pvc' } },
            { name: 'creds', secret: { secretName: 'creds', defaultMode: 256 } },
            { name: 'conf', configMap: { name: 'conf' } },
            { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          ],
          containers: [
            {
              name: 'migrate',
              image: 'alpine:3.20',
              imagePullPolicy: 'IfNotPresent',
              command: ['/bin/sh', '-c'],
              args: ['echo hi'],
              env: [
                { name: 'PLAIN', value: 'v' },
                { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode', optional: true } } },
                { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              envFrom: [
                { prefix: 'DB_', secretRef: { name: 'db-env' } },
                { configMapRef: { name: 'app-env', optional: true } },
              ],
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              volumeMounts: [
                { name: 'data', mountPath: '/data' },
                { name: 'creds', mountPath: '/creds', readOnly: true },
                { name: 'conf', mountPath: '/etc/app/app.yaml', subPath: 'app.yaml' },
              ],
            },
          ],
        },
      },
    });
  });

  test('the ApiObject is the default child (ApiObject.of) and takes JSON patches', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'j', base);
    expect(ApiObject.of(job)).toBe(job.apiObject);
    job.apiObject.addJsonPatch(JsonPatch.add('/spec/completions', 1));
    expect(only(chart).spec.completions).toBe(1);
    expect(container(only(chart)).image).toBe('alpine:3.20');
  });
});

describe('HookJob validation', () => {
  const cases: Array<[string, Partial<HookJobProps> & Record<string, unknown>, string]> = [
    ['non-integer wave', { wave: 1.5 }, 'wave: must be an integer, got 1.5'],
    ['string wave', { wave: '2' as never }, 'wave: must be an integer, got "2"'],
    ['NaN wave', { wave: Number.NaN }, 'wave: must be an integer, got NaN'],
    ['empty phase list', { phase: [] }, 'phase: must list at least one hook phase (PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete)'],
    ['unknown phase', { phase: 'PostSynk' as never }, 'phase: unknown hook phase "PostSynk" (expected one of PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete, Skip)'],
    ['duplicate phase', { phase: ['PreSync', 'PreSync'] }, 'phase: lists "PreSync" twice'],
    ['Skip with a phase', { phase: ['Skip', 'PreSync'] }, "phase: 'Skip' cannot be combined with another phase (got Skip,PreSync); Skip means the object is never applied"],
    ['unknown delete policy', { deletePolicy: 'HookSucceed' as never }, 'deletePolicy: unknown delete policy "HookSucceed" (expected BeforeHookCreation, HookSucceeded, HookFailed)'],
    ['duplicate delete policy', { deletePolicy: ['HookFailed', 'HookFailed'] }, 'deletePolicy: lists "HookFailed" twice'],
    ['name and generateName', { name: 'a', generateName: 'a-' }, "generateName: cannot be combined with 'name'; set one of them"],
    [
      'generateName on PreDelete',
      { phase: 'PreDelete', generateName: 'backup-' },
      "generateName: is not supported on PreDelete hooks (Argo CD creates delete hooks by name); set 'name' or leave both unset",
    ],
    [
      'generateName on a hook that is also PostDelete',
      { phase: ['PostSync', 'PostDelete'], generateName: 'x-' },
      "generateName: is not supported on PostDelete hooks (Argo CD creates delete hooks by name); set 'name' or leave both unset",
    ],
    ['restartPolicy Always', { restartPolicy: 'Always' as never }, 'restartPolicy: must be Never or OnFailure, got "Always"'],
    [
      'upper-case name',
      { name: 'DB_Migrate' },
      'name: "DB_Migrate" is not a valid DNS-1123 name (lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 63 characters)',
    ],
    [
      'name longer than 63',
      { name: 'a'.repeat(64) },
      `name: "${'a'.repeat(64)}" is not a valid DNS-1123 name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 63 characters)`,
    ],
    [
      'generateName with invalid characters',
      { generateName: '-Notify_' },
      'generateName: "-Notify_" is not a valid DNS-1123 name prefix (lower-case letters, digits, \'-\' and \'.\', starting with a letter or digit)',
    ],
    [
      'generateName prefix too long',
      { generateName: `${'n'.repeat(36)}-` },
      `generateName: "${'n'.repeat(36)}-" is 37 characters long; at most 36 are allowed because Argo CD appends "<revision>-<phase>-<timestamp>" (up to 27 characters) and a Job name is limited to 63`,
    ],
    [
      'invalid namespace',
      { namespace: 'my.ns' },
      'namespace: "my.ns" is not a valid DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)',
    ],
    ['empty image', { image: '' }, 'image: must be a non-empty string, got ""'],
    ['negative backoffLimit', { backoffLimit: -1 }, 'backoffLimit: must be at least 0, got -1'],
    ['zero activeDeadlineSeconds', { activeDeadlineSeconds: 0 }, 'activeDeadlineSeconds: must be at least 1, got 0'],
    ['fractional ttl', { ttlSecondsAfterFinished: 0.5 }, 'ttlSecondsAfterFinished: must be an integer, got 0.5'],
    [
      'Argo CD annotation in annotations',
      { annotations: { 'argocd.argoproj.io/hook': 'PostSync' } },
      'annotations["argocd.argoproj.io/hook"]: Argo CD keys are set by the construct; use the phase, wave and deletePolicy props or setSyncOptions()',
    ],
    [
      'inline env secret reference that is a string',
      { env: { DB: { secretKeyRef: 'postgres://u:p@h/db' } as never } },
      'env.DB.secretKeyRef: must be a Secret key reference { secretName, key }, not an inline value: store the value in a Secret and reference it',
    ],
    ['mount of an unknown volume', { volumeMounts: [{ volume: 'data', mountPath: '/data' }] }, 'volumeMounts[0].volume: refers to volume "data", which is not in \'volumes\''],
    [
      'volume with two sources',
      { volumes: [{ name: 'v', emptyDir: {}, persistentVolumeClaim: { claimName: 'c' } } as never] },
      'volumes[0]: must have exactly one of persistentVolumeClaim, secret, configMap, emptyDir (got 2)',
    ],
    ['relative mount path', { volumes: [{ name: 'v', emptyDir: {} }], volumeMounts: [{ volume: 'v', mountPath: 'data' }] }, 'volumeMounts[0].mountPath: must be an absolute path, got "data"'],
    ['Exists toleration with a value', { tolerations: [{ operator: 'Exists', value: 'x' }] }, "tolerations[0].value: must be empty when operator is 'Exists'"],
    ['fractional tolerationSeconds', { tolerations: [{ key: 'k', tolerationSeconds: 1.5 }] }, 'tolerations[0].tolerationSeconds: must be an integer, got 1.5'],
    ['command that is not a list', { command: 'echo hi' as never }, 'command: must be a list of strings'],
    ['args with a number', { args: ['--n', 3] as never }, 'args: must be a list of strings'],
    ['env name with "="', { env: { 'A=B': 'x' } }, 'env.A=B: an environment variable name must be non-empty and must not contain "="'],
    ['env value of the wrong shape', { env: { A: { value: 'x' } as never } }, 'env.A: must be a string, { secretKeyRef }, { configMapKeyRef } or { fieldPath }'],
    [
      'configMapKeyRef without a key',
      { env: { A: { configMapKeyRef: { configMapName: 'cfg', key: '' } } } },
      'env.A.configMapKeyRef.key: must be a non-empty string, got ""',
    ],
    ['envFrom of the wrong shape', { envFrom: [{ name: 'x' } as never] }, 'envFrom[0]: must be { secretName } or { configMapName }'],
    [
      'invalid serviceAccountName',
      { serviceAccountName: 'Migrator' },
      'serviceAccountName: "Migrator" is not a valid DNS-1123 name (lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)',
    ],
    [
      'invalid containerName',
      { containerName: 'main.c' },
      'containerName: "main.c" is not a valid DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)',
    ],
    [
      'invalid secret volume name',
      { volumes: [{ name: 'creds', secret: { secretName: 'Creds' } }] },
      'volumes[0].secret.secretName: "Creds" is not a valid DNS-1123 name (lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)',
    ],
    [
      'Argo CD key in labels',
      { labels: { 'argocd.argoproj.io/instance': 'shop' } },
      'labels["argocd.argoproj.io/instance"]: Argo CD keys are set by the construct; Argo CD reads hook settings from annotations only',
    ],
  ];

  test.each(cases)('%s', (_title, override, message) => {
    const chart = newChart();
    const err = validationError(() => new HookJob(chart, 'job', { ...base, ...override } as HookJobProps));
    expect(err.message).toBe(`[test/job] ${message}`);
    expect(err.path).toBe('test/job');
    expect(err.prop).toBe(message.slice(0, message.indexOf(':')));
    expect(err.problems).toHaveLength(1);
  });

  test('all problems are reported together, the construct is not added to the tree', () => {
    const chart = newChart();
    const err = validationError(() => new HookJob(chart, 'job', { ...base, phase: [], wave: 0.5, restartPolicy: 'Always' as never }));
    expect(err.problems.map((p) => p.prop)).toEqual(['phase', 'wave', 'restartPolicy']);
    expect(err.message).toBe(
      [
        '[test/job] phase: must list at least one hook phase (PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete)',
        '[test/job] wave: must be an integer, got 0.5',
        '[test/job] restartPolicy: must be Never or OnFailure, got "Always"',
      ].join('\n'),
    );
    expect(err.name).toBe('HookValidationError');
    expect(err).toBeInstanceOf(Error);
    expect(chart.node.tryFindChild('job')).toBeUndefined();
    expect(chart.toJson()).toEqual([]);
  });

  test('the path names nested constructs', () => {
    const chart = newChart();
    const err = validationError(() => new HookJob(new HookJob(chart, 'outer', base), 'inner', { ...base, wave: 0.1 }));
    expect(err.path).toBe('test/outer/inner');
  });

  test('a generateName of exactly 36 characters and a name of 63 are accepted', () => {
    expect(() => new HookJob(newChart(), 'a', { ...base, generateName: `${'n'.repeat(35)}-` })).not.toThrow();
    expect(() => new HookJob(newChart(), 'b', { ...base, name: 'a'.repeat(63) })).not.toThrow();
    expect(() => new HookJob(newChart(), 'c', { ...base, phase: 'PreDelete', name: 'backup' })).not.toThrow();
  });

  test('HookValidationError needs at least one problem', () => {
    expect(() => new HookValidationError('p', [])).toThrow('HookValidationError needs at least one problem');
  });
});
