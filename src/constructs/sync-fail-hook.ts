/**
 * `SyncFailHook`: alert, or undo a side effect, when a sync fails.
 */
import { Construct } from 'constructs';
import { HookJob, HookJobOptions } from './hook-job';
import { CHANNELS, checkNoNotifyEnv, DEFAULT_NOTIFIER_RESOURCES, notificationContainer, NotificationProps } from './notification';
import { EnvValue } from './pod';
import { NOTIFIER_DEFAULTS } from './post-sync-notifier';
import { childPath, Problems } from './_validate';

import { SYNC_HOOKS_FAILED_OBJECT, SYNC_HOOKS_FAILED_PHASE, SYNC_HOOKS_FAILURE_MESSAGE } from '../model/annotations';

/** Env vars set by the sync-hooks engine in SyncFail hooks (phase, `Kind namespace/name`, message); defined in model. */
export { SYNC_HOOKS_FAILED_OBJECT, SYNC_HOOKS_FAILED_PHASE, SYNC_HOOKS_FAILURE_MESSAGE };

/** The three env vars above; reserved in SyncFail hooks. */
export const SYNC_FAIL_ENV_VARS = [SYNC_HOOKS_FAILED_PHASE, SYNC_HOOKS_FAILED_OBJECT, SYNC_HOOKS_FAILURE_MESSAGE] as const;

export interface SyncFailHookProps extends HookJobOptions, NotificationProps {
  /** Run mode: the entrypoint of `image`. Not allowed with slack/webhook/email. @default - the image's ENTRYPOINT */
  readonly command?: readonly string[];
  /** Run mode: arguments. Not allowed with slack/webhook/email. @default - the image's CMD */
  readonly args?: readonly string[];
}

/**
 * A SyncFail hook Job: it runs only when a sync operation fails. Two modes:
 *
 * - **alert**: set one of `slack`, `webhook`, `email` (as for `PostSyncNotifier`); the message
 *   gets the failure details appended when the engine provides them;
 * - **run**: set `image` (and `command`/`args`) to undo a side effect, e.g. restore a snapshot.
 *
 * The sync-hooks engine passes the failure to the container as the env vars
 * `SYNC_HOOKS_FAILED_PHASE`, `SYNC_HOOKS_FAILED_OBJECT` and `SYNC_HOOKS_FAILURE_MESSAGE` (Argo CD
 * passes none of them; scripts must treat them as optional). Setting them in `env` is an error.
 *
 * No delete policy is written by default (Argo CD's BeforeHookCreation): HookSucceeded never
 * fires on a failed operation, so the Job stays until the next failure replaces it, with its logs.
 */
export class SyncFailHook extends HookJob {
  constructor(scope: Construct, id: string, props: SyncFailHookProps) {
    const p = new Problems();
    const alert = CHANNELS.some((k) => props[k] !== undefined);
    for (const name of Object.keys(props.env ?? {})) {
      if ((SYNC_FAIL_ENV_VARS as readonly string[]).includes(name)) p.add(`env.${name}`, 'is set by the sync-hooks engine at run time');
    }
    let container: { image?: string; command?: readonly string[]; args?: readonly string[]; env?: Record<string, EnvValue> };
    if (alert) {
      if (props.command !== undefined) p.add('command', 'cannot be combined with a notification channel (slack, webhook, email, pagerduty, teams: the notification sets the command)');
      if (props.args !== undefined) p.add('args', 'cannot be combined with a notification channel (slack, webhook, email, pagerduty, teams: the notification sets the command)');
      checkNoNotifyEnv(p, props.env);
      container = notificationContainer(p, props, {
        phase: 'SyncFail',
        defaultMessage: (app) => (app ? `${app}: sync failed` : 'Sync failed'),
        failureDetails: true,
      });
    } else {
      if (props.image === undefined) p.add('image', 'is required unless one of slack, webhook, email, pagerduty, teams is set');
      container = { image: props.image, command: props.command, args: props.args };
    }
    p.throwIfAny(childPath(scope, id));
    super(scope, id, {
      ...props,
      phase: 'SyncFail',
      image: container.image ?? '',
      command: container.command,
      args: container.args,
      env: { ...container.env, ...props.env },
      ...(alert
        ? {
            activeDeadlineSeconds: props.activeDeadlineSeconds ?? NOTIFIER_DEFAULTS.activeDeadlineSeconds,
            backoffLimit: props.backoffLimit ?? NOTIFIER_DEFAULTS.backoffLimit,
            resources: props.resources ?? DEFAULT_NOTIFIER_RESOURCES,
            containerName: props.containerName ?? NOTIFIER_DEFAULTS.containerName,
          }
        : {}),
    });
  }
}
