/**
 * `PreDeleteBackup` and `PostgresBackup`: a backup written to a volume before teardown.
 */
import { Construct } from 'constructs';
import { HookJob, HookJobOptions, PhaseJobProps } from './hook-job';
import { EnvValue, SecretKeyRef } from './pod';
import { checkSecretRef } from './_render';
import { checkDnsName, childPath, Problems, quote } from './_validate';

/** Defaults of the backup constructs. */
export const BACKUP_DEFAULTS = {
  mountPath: '/backup',
  /** Env var holding `mountPath`, for the backup command. */
  dirEnv: 'BACKUP_DIR',
  volumeName: 'backup',
  /** Half an hour: dumps of real databases take longer than the ten minutes of other hooks. */
  activeDeadlineSeconds: 1800,
  postgresImage: 'postgres:17-alpine',
} as const;

/** Where the backup goes: a PersistentVolumeClaim that outlives the application. */
export interface BackupTarget {
  /** The PVC the backup is written to. It must not be deleted with the application (e.g. `setSyncOptions(pvc, { delete: false })` or a claim outside the app). */
  readonly claimName: string;
  /** Where the claim is mounted; also exported as `$BACKUP_DIR`. @default '/backup' */
  readonly mountPath?: string;
}

export interface PreDeleteBackupProps extends PhaseJobProps, BackupTarget {}

function checkTarget(p: Problems, t: BackupTarget): void {
  checkDnsName(p, 'claimName', t.claimName);
  if (t.mountPath !== undefined && (typeof t.mountPath !== 'string' || !t.mountPath.startsWith('/'))) {
    p.add('mountPath', `must be an absolute path, got ${quote(t.mountPath)}`);
  }
}

function withTarget<T extends HookJobOptions>(props: T & BackupTarget, extraEnv: Record<string, EnvValue>): T {
  const mountPath = props.mountPath ?? BACKUP_DEFAULTS.mountPath;
  return {
    ...props,
    env: { [BACKUP_DEFAULTS.dirEnv]: mountPath, ...extraEnv, ...props.env },
    volumes: [{ name: BACKUP_DEFAULTS.volumeName, persistentVolumeClaim: { claimName: props.claimName } }, ...(props.volumes ?? [])],
    volumeMounts: [{ volume: BACKUP_DEFAULTS.volumeName, mountPath }, ...(props.volumeMounts ?? [])],
    activeDeadlineSeconds: props.activeDeadlineSeconds ?? BACKUP_DEFAULTS.activeDeadlineSeconds,
  };
}

/**
 * A PreDelete hook Job running a user-supplied backup command with a PersistentVolumeClaim
 * mounted at `mountPath` (`$BACKUP_DIR`). PreDelete hooks run only when the whole application is
 * deleted, and a failed backup blocks the deletion. `generateName` is not supported.
 */
export class PreDeleteBackup extends HookJob {
  /**
   * A ready-made `pg_dump` backup: see `PostgresBackup`.
   */
  public static postgres(scope: Construct, id: string, props: PostgresBackupProps): PostgresBackup {
    return new PostgresBackup(scope, id, props);
  }

  /** Where the claim is mounted in the container. */
  public readonly mountPath: string;

  constructor(scope: Construct, id: string, props: PreDeleteBackupProps) {
    const p = new Problems();
    checkTarget(p, props);
    p.throwIfAny(childPath(scope, id));
    super(scope, id, { ...withTarget<PhaseJobProps>(props, {}), phase: 'PreDelete' });
    this.mountPath = props.mountPath ?? BACKUP_DEFAULTS.mountPath;
  }
}

/**
 * Keys of the Secret holding the PostgreSQL connection. Each becomes the libpq variable named in
 * brackets, so `pg_dump` needs no connection flags.
 */
export interface PostgresConnection {
  readonly secretName: string;
  /** [PGHOST] @default 'host' */
  readonly hostKey?: string;
  /** [PGPORT], optional in the Secret (5432 when missing). @default 'port' */
  readonly portKey?: string;
  /** [PGDATABASE] @default 'database' */
  readonly databaseKey?: string;
  /** [PGUSER] @default 'username' */
  readonly userKey?: string;
  /** [PGPASSWORD] @default 'password' */
  readonly passwordKey?: string;
}

export interface PostgresBackupProps extends HookJobOptions, BackupTarget {
  /** The Secret with the connection settings. An inline connection string or password is rejected. */
  readonly connection: PostgresConnection;
  /** A `pg_dump` at least as new as the server. @default 'postgres:17-alpine' */
  readonly image?: string;
  /** `custom` (for pg_restore) or `plain` SQL. @default 'custom' */
  readonly format?: 'custom' | 'plain';
  /** More `pg_dump` arguments, passed verbatim (e.g. `['--schema', 'app']`). @default - none */
  readonly extraArgs?: readonly string[];
}

/** The backup script: dump to a partial file, then rename, so a failed dump never looks complete. */
const PG_DUMP_SCRIPT = [
  'set -eu',
  'ext=dump; [ "$PG_DUMP_FORMAT" = plain ] && ext=sql',
  'file="$BACKUP_DIR/${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).$ext"',
  'pg_dump --no-password --format="$PG_DUMP_FORMAT" --file="$file.partial" "$@"',
  'mv "$file.partial" "$file"',
  'echo "backup written to $file"',
].join('\n');

function connectionEnv(p: Problems, c: PostgresConnection): Record<string, EnvValue> {
  if (typeof c === 'string') {
    p.add('connection', 'must reference a Secret ({ secretName, ...keys }), not an inline connection string: store it in a Secret');
    return {};
  }
  for (const inline of ['password', 'url', 'uri']) {
    if (typeof (c as unknown as Record<string, unknown>)[inline] === 'string') {
      p.add(`connection.${inline}`, `must not be inline: store it in the Secret "${c.secretName}" and name its key in connection.passwordKey`);
    }
  }
  const ref = (key: string, optional?: boolean): { secretKeyRef: SecretKeyRef } => ({
    secretKeyRef: { secretName: c.secretName, key, optional },
  });
  const env = {
    PGHOST: ref(c.hostKey ?? 'host'),
    PGPORT: ref(c.portKey ?? 'port', true),
    PGDATABASE: ref(c.databaseKey ?? 'database'),
    PGUSER: ref(c.userKey ?? 'username'),
    PGPASSWORD: ref(c.passwordKey ?? 'password'),
  };
  for (const [name, v] of Object.entries(env)) checkSecretRef(p, `connection (${name})`, v.secretKeyRef, 'value');
  return env;
}

/**
 * A PreDelete backup with `pg_dump`: connection settings come from a Secret as libpq env vars
 * (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`); the dump is written to
 * `$BACKUP_DIR/<database>-<UTC timestamp>.dump` (`.sql` for `plain`).
 */
export class PostgresBackup extends PreDeleteBackup {
  constructor(scope: Construct, id: string, props: PostgresBackupProps) {
    const p = new Problems();
    const env = connectionEnv(p, props.connection);
    if (props.format !== undefined && props.format !== 'custom' && props.format !== 'plain') {
      p.add('format', `must be custom or plain, got ${quote(props.format)}`);
    }
    if (props.extraArgs !== undefined && (!Array.isArray(props.extraArgs) || props.extraArgs.some((a) => typeof a !== 'string'))) {
      p.add('extraArgs', 'must be a list of strings');
    }
    p.throwIfAny(childPath(scope, id));
    super(scope, id, {
      ...props,
      image: props.image ?? BACKUP_DEFAULTS.postgresImage,
      command: ['/bin/sh', '-c', PG_DUMP_SCRIPT, 'pg-backup'],
      args: props.extraArgs ? [...props.extraArgs] : undefined,
      env: { ...env, PG_DUMP_FORMAT: props.format ?? 'custom', ...props.env },
    });
  }
}
