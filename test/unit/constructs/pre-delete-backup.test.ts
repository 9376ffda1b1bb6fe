import { BACKUP_DEFAULTS, HookJob, PostgresBackup, PostgresBackupProps, PreDeleteBackup } from '../../../src/constructs';
import { container, envOf, newChart, only, runContainer, validationError } from './_helpers';

describe('PreDeleteBackup', () => {
  test('a user command with the claim mounted at /backup ($BACKUP_DIR)', () => {
    const chart = newChart();
    const b = new PreDeleteBackup(chart, 'backup', {
      name: 'final-backup',
      image: 'registry.local/backup:2',
      command: ['/bin/sh', '-c', 'tar czf "$BACKUP_DIR/files.tgz" /data'],
      claimName: 'backups',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'app-data', readOnly: true } }],
      volumeMounts: [{ volume: 'data', mountPath: '/data', readOnly: true }],
    });
    expect(b).toBeInstanceOf(HookJob);
    expect(b.phases).toEqual(['PreDelete']);
    expect(b.mountPath).toBe('/backup');
    expect(only(chart)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'final-backup', annotations: { 'argocd.argoproj.io/hook': 'PreDelete' } },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: 1800,
        template: {
          spec: {
            restartPolicy: 'Never',
            volumes: [
              { name: 'backup', persistentVolumeClaim: { claimName: 'backups' } },
              { name: 'data', persistentVolumeClaim: { claimName: 'app-data', readOnly: true } },
            ],
            containers: [
              {
                name: 'main',
                image: 'registry.local/backup:2',
                command: ['/bin/sh', '-c', 'tar czf "$BACKUP_DIR/files.tgz" /data'],
                env: [{ name: 'BACKUP_DIR', value: '/backup' }],
                volumeMounts: [
                  { name: 'backup', mountPath: '/backup' },
                  { name: 'data', mountPath: '/data', readOnly: true },
                ],
              },
            ],
          },
        },
      },
    });
  });

  test('custom mount path and deadline', () => {
    const chart = newChart();
    new PreDeleteBackup(chart, 'b', { image: 'x', claimName: 'c', mountPath: '/mnt/out', activeDeadlineSeconds: 60 });
    const m = only(chart);
    expect(m.spec.activeDeadlineSeconds).toBe(60);
    expect(envOf(m).BACKUP_DIR).toBe('/mnt/out');
    expect(container(m).volumeMounts).toEqual([{ name: 'backup', mountPath: '/mnt/out' }]);
  });

  test('validation', () => {
    let err = validationError(() => new PreDeleteBackup(newChart(), 'b', { image: 'x', claimName: 'Backups!' }));
    expect(err.message).toBe(
      '[test/b] claimName: "Backups!" is not a valid DNS-1123 name (lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)',
    );
    err = validationError(() => new PreDeleteBackup(newChart(), 'b', { image: 'x', claimName: 'c', mountPath: 'backup' }));
    expect(err.message).toBe('[test/b] mountPath: must be an absolute path, got "backup"');
    err = validationError(() => new PreDeleteBackup(newChart(), 'b', { image: 'x', claimName: 'c', generateName: 'backup-' }));
    expect(err.message).toBe(
      "[test/b] generateName: is not supported on PreDelete hooks (Argo CD creates delete hooks by name); set 'name' or leave both unset",
    );
    err = validationError(() => new PreDeleteBackup(newChart(), 'b', { image: 'x', claimName: 'c', volumes: [{ name: 'backup', emptyDir: {} }] }));
    expect(err.message).toBe('[test/b] volumes[1].name: volume "backup" is defined twice');
  });
});

describe('PostgresBackup', () => {
  const props: PostgresBackupProps = { claimName: 'backups', connection: { secretName: 'shop-db' } };

  test('pg_dump with libpq settings from the Secret', () => {
    const chart = newChart();
    const b = PreDeleteBackup.postgres(chart, 'pg', props);
    expect(b).toBeInstanceOf(PostgresBackup);
    expect(b).toBeInstanceOf(PreDeleteBackup);
    const m = only(chart);
    expect(m.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PreDelete' });
    expect(container(m).image).toBe(BACKUP_DEFAULTS.postgresImage);
    const ref = (key: string, optional?: boolean) => ({ secretKeyRef: { name: 'shop-db', key, ...(optional ? { optional } : {}) } });
    expect(envOf(m)).toEqual({
      BACKUP_DIR: '/backup',
      PGHOST: ref('host'),
      PGPORT: ref('port', true),
      PGDATABASE: ref('database'),
      PGUSER: ref('username'),
      PGPASSWORD: ref('password'),
      PG_DUMP_FORMAT: 'custom',
    });
    expect(JSON.stringify(m)).not.toMatch(/password=|postgres:\/\//);
  });

  test('custom key names, plain format and extra pg_dump args', () => {
    const chart = newChart();
    new PostgresBackup(chart, 'pg', {
      ...props,
      connection: { secretName: 'db', hostKey: 'PGHOST', userKey: 'user', passwordKey: 'pass', databaseKey: 'db', portKey: 'p' },
      format: 'plain',
      extraArgs: ['--schema', 'app'],
    });
    const m = only(chart);
    expect(envOf(m).PGUSER).toEqual({ secretKeyRef: { name: 'db', key: 'user' } });
    expect(envOf(m).PGPASSWORD).toEqual({ secretKeyRef: { name: 'db', key: 'pass' } });
    expect(envOf(m).PG_DUMP_FORMAT).toBe('plain');
    expect(container(m).args).toEqual(['--schema', 'app']);
  });

  test('the script dumps to a partial file and renames it (stub pg_dump, mv, date)', () => {
    const chart = newChart();
    new PostgresBackup(chart, 'pg', { ...props, extraArgs: ['--schema', 'app'] });
    const secrets = { 'shop-db': { host: 'db', database: 'shop', username: 'u', password: 'p' } };
    const r = runContainer(only(chart), { secrets, stubs: ['pg_dump', 'mv', 'date'] });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The stub `date` prints nothing, so the timestamp is empty here.
    expect(r.calls.pg_dump.map((c) => c.args)).toEqual([
      ['--no-password', '--format=custom', '--file=/backup/shop-.dump.partial', '--schema', 'app'],
    ]);
    expect(r.calls.mv.map((c) => c.args)).toEqual([['/backup/shop-.dump.partial', '/backup/shop-.dump']]);
    expect(r.calls.date.map((c) => c.args)).toEqual([['-u', '+%Y%m%dT%H%M%SZ']]);
    expect(r.stdout).toBe('backup written to /backup/shop-.dump\n');
  });

  test('plain format writes .sql', () => {
    const chart = newChart();
    new PostgresBackup(chart, 'pg', { ...props, format: 'plain' });
    const secrets = { 'shop-db': { host: 'db', database: 'shop', username: 'u', password: 'p' } };
    const r = runContainer(only(chart), { secrets, stubs: ['pg_dump', 'mv', 'date'] });
    expect(r.calls.mv[0].args[1]).toBe('/backup/shop-.sql');
  });

  test('validation: inline connection string or password', () => {
    let err = validationError(() => new PostgresBackup(newChart(), 'pg', { ...props, connection: 'postgres://u:p@db/shop' as never }));
    expect(err.message).toBe(
      '[test/pg] connection: must reference a Secret ({ secretName, ...keys }), not an inline connection string: store it in a Secret',
    );
    err = validationError(() => new PostgresBackup(newChart(), 'pg', { ...props, connection: { secretName: 'db', password: 'hunter2' } as never }));
    expect(err.message).toBe(
      '[test/pg] connection.password: must not be inline: store it in the Secret "db" and name its key in connection.passwordKey',
    );
    err = validationError(() => new PostgresBackup(newChart(), 'pg', { ...props, extraArgs: ['--jobs', 4] as never }));
    expect(err.message).toBe('[test/pg] extraArgs: must be a list of strings');
    err = validationError(() => new PostgresBackup(newChart(), 'pg', { ...props, connection: { secretName: 'db', passwordKey: '' } }));
    expect(err.message).toBe('[test/pg] connection (PGPASSWORD).key: must be a non-empty string, got ""');
    err = validationError(() => new PostgresBackup(newChart(), 'pg', { ...props, format: 'tar' as never }));
    expect(err.message).toBe('[test/pg] format: must be custom or plain, got "tar"');
  });
});
