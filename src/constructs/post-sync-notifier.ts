/**
 * `PostSyncNotifier`: tells a Slack channel, a webhook or a mailbox that a sync succeeded.
 */
import { Construct } from 'constructs';
import { HookJob, HookJobOptions } from './hook-job';
import { checkNoNotifyEnv, DEFAULT_NOTIFIER_RESOURCES, notificationContainer, NotificationProps } from './notification';
import { childPath, prefixFromId, Problems } from './_validate';

/** Defaults of `PostSyncNotifier` (the pattern recommended for notification hooks). */
export const NOTIFIER_DEFAULTS = {
  /** Notifications leave nothing behind once the sync succeeded. */
  deletePolicy: 'HookSucceeded',
  /** A stuck webhook or mail relay must not hold the sync for long. */
  activeDeadlineSeconds: 120,
  /** One pod retry on top of curl's own retries; a duplicate message beats a lost one. */
  backoffLimit: 1,
  containerName: 'notify',
} as const;

export interface PostSyncNotifierProps extends HookJobOptions, NotificationProps {}

/**
 * A PostSync hook Job that sends one notification through exactly one of `slack`, `webhook` or
 * `email`. The webhook URL and the SMTP password come from Secret key references; inline values
 * are rejected.
 *
 * Defaults: `generateName` derived from the construct id (a fresh Job per sync), HookSucceeded,
 * `activeDeadlineSeconds` 120, `backoffLimit` 1, image `DEFAULT_NOTIFIER_IMAGE`.
 */
export class PostSyncNotifier extends HookJob {
  constructor(scope: Construct, id: string, props: PostSyncNotifierProps) {
    const p = new Problems();
    const c = notificationContainer(p, props, {
      phase: 'PostSync',
      defaultMessage: (app) => (app ? `${app}: sync succeeded` : 'Sync succeeded'),
      failureDetails: false,
    });
    checkNoNotifyEnv(p, props.env);
    p.throwIfAny(childPath(scope, id));
    super(scope, id, {
      ...props,
      phase: 'PostSync',
      image: c.image,
      command: c.command,
      args: undefined,
      env: { ...c.env, ...props.env },
      generateName: props.name === undefined ? (props.generateName ?? prefixFromId(id, 'notify')) : props.generateName,
      deletePolicy: props.deletePolicy ?? NOTIFIER_DEFAULTS.deletePolicy,
      activeDeadlineSeconds: props.activeDeadlineSeconds ?? NOTIFIER_DEFAULTS.activeDeadlineSeconds,
      backoffLimit: props.backoffLimit ?? NOTIFIER_DEFAULTS.backoffLimit,
      resources: props.resources ?? DEFAULT_NOTIFIER_RESOURCES,
      containerName: props.containerName ?? NOTIFIER_DEFAULTS.containerName,
    });
  }
}
