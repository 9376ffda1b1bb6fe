/**
 * Notification channels (Slack incoming webhook, generic JSON webhook, SMTP email, PagerDuty
 * Events API v2, Microsoft Teams Workflows webhook) and the small POSIX-shell container that sends
 * them. Used by `PostSyncNotifier` and `SyncFailHook`.
 *
 * Everything dynamic reaches the script through environment variables, never by splicing values
 * into the script text, so no value can break out of its quoting. Secrets (webhook URL, SMTP
 * password, credential headers, routing keys) come only from Secret key references.
 */
import { EnvValue, ResourceRequirements, SecretKeyRef } from './pod';
import { Channel, httpScript, JSON_ESCAPE_FN, jsonBody, resolveTemplate, slot } from './_notify-json';
import { pagerDuty, teams } from './_notify-incident';
import { checkSecretRef } from './_render';
import { checkInteger, checkNonEmpty, Problems, quote } from './_validate';

/** The image used to send notifications: it ships `/bin/sh` and `curl` (HTTP and SMTP). */
export const DEFAULT_NOTIFIER_IMAGE = 'curlimages/curl:8.11.1';

/** Resources of the notification container unless `resources` is set. */
export const DEFAULT_NOTIFIER_RESOURCES: ResourceRequirements = {
  requests: { cpu: '10m', memory: '32Mi' },
  limits: { memory: '64Mi' },
};

/** A Slack incoming webhook. */
export interface SlackNotification {
  /** The webhook URL (`https://hooks.slack.com/services/...`), from a Secret. */
  readonly webhookUrl: SecretKeyRef;
  /** @default - the webhook's channel */
  readonly channel?: string;
  /** @default - the webhook's name */
  readonly username?: string;
  /** e.g. `:rocket:`. @default - the webhook's icon */
  readonly iconEmoji?: string;
}

/**
 * Any HTTP endpoint accepting JSON: by default the body `{ ...fields, app, phase, message }`; with
 * `body`, a nested JSON template of your own.
 */
export interface WebhookNotification {
  /** The endpoint URL, from a Secret (URLs of webhooks usually embed a token). */
  readonly url: SecretKeyRef;
  /** @default 'POST' */
  readonly method?: 'POST' | 'PUT';
  /** Plain headers. Credentials are rejected here: use `secretHeaders`. @default - none */
  readonly headers?: Record<string, string>;
  /** Headers whose values come from Secrets, e.g. `{ Authorization: { secretName, key } }`. @default - none */
  readonly secretHeaders?: Record<string, SecretKeyRef>;
  /** Extra constant fields merged into the default JSON body. Not with `body`. @default - none */
  readonly fields?: Record<string, string | number | boolean>;
  /**
   * The JSON body, any nesting. In string values, `{app}` and `{phase}` are replaced when the chart
   * is synthesized; `{message}`, `{failedPhase}`, `{failedObject}` and `{failureMessage}` when the
   * hook runs (the last three are set by the sync-hooks engine in SyncFail hooks, empty otherwise),
   * JSON-escaped. E.g. `{ text: '{message}', labels: { app: '{app}' } }`.
   * @default - `{ ...fields, app, phase, message }`
   */
  readonly body?: Record<string, unknown> | readonly unknown[];
}

/**
 * PagerDuty Events API v2. In a SyncFail hook it triggers an alert; in a PostSync notifier it
 * resolves it. Both use the same dedup key (by default `sync-hooks/<appName>`), so pairing a
 * `SyncFailHook` and a `PostSyncNotifier` with the same `pagerduty` settings opens one incident per
 * app on failure and closes it on the next successful sync.
 */
export interface PagerDutyNotification {
  /** The integration (routing) key of the service, from a Secret. */
  readonly routingKey: SecretKeyRef;
  /** @default 'error' */
  readonly severity?: 'critical' | 'error' | 'warning' | 'info';
  /** `payload.source`. @default - appName */
  readonly source?: string;
  /** @default - none */
  readonly component?: string;
  /** @default - none */
  readonly group?: string;
  /** Stable key of the incident (at most 255 characters). @default `sync-hooks/<appName>` */
  readonly dedupKey?: string;
  /** The Events API endpoint, from a Secret (a proxy or a test receiver). @default https://events.pagerduty.com/v2/enqueue */
  readonly eventsUrl?: SecretKeyRef;
}

/** A Microsoft Teams Workflows webhook ("When a Teams webhook request is received"); posts an Adaptive Card. */
export interface TeamsNotification {
  /** The workflow's HTTP POST URL (it embeds a signature), from a Secret. */
  readonly webhookUrl: SecretKeyRef;
  /** Card title. @default - the first line of the message */
  readonly title?: string;
}

/** Plain-text email through an SMTP server. */
export interface EmailNotification {
  readonly smtpHost: string;
  /** @default 465 when `security` is 'tls', else 587 */
  readonly smtpPort?: number;
  /**
   * 'starttls' upgrades the connection and fails without TLS; 'tls' is implicit TLS (smtps);
   * 'none' sends in clear (an in-cluster relay only).
   * @default 'tls' when `smtpPort` is 465, else 'starttls'
   */
  readonly security?: 'starttls' | 'tls' | 'none';
  /** SMTP user, plain or from a Secret. @default - no authentication */
  readonly username?: string | SecretKeyRef;
  /** SMTP password, from a Secret. Required with `username`. */
  readonly password?: SecretKeyRef;
  /** Sender address. */
  readonly from: string;
  /** One or more recipient addresses. */
  readonly to: string | readonly string[];
  /** @default - the first line of the message */
  readonly subject?: string;
}

/** How and what to notify. Exactly one of `slack`, `webhook`, `email`, `pagerduty`, `teams`. */
export interface NotificationProps {
  readonly slack?: SlackNotification;
  readonly webhook?: WebhookNotification;
  readonly email?: EmailNotification;
  readonly pagerduty?: PagerDutyNotification;
  readonly teams?: TeamsNotification;
  /** The application's name, substituted for `{app}` in `message`. @default - none */
  readonly appName?: string;
  /** Message text; `{app}` is replaced by `appName`. @default - "<appName>: sync succeeded" (PostSync) or "<appName>: sync failed" (SyncFail) */
  readonly message?: string;
  /** Image with `/bin/sh` and `curl`. @default DEFAULT_NOTIFIER_IMAGE */
  readonly image?: string;
}

/** Container settings produced for a notification. */
export interface NotificationContainer {
  readonly image: string;
  readonly command: string[];
  readonly env: Record<string, EnvValue>;
}

/** Prefix of every environment variable the notification script reads. */
export const NOTIFY_ENV_PREFIX = 'NOTIFY_';

const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|api-?key|password/i;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
const ADDRESS = /^[^\s<>@,;"]+@[^\s<>@,;"]+$/;
const NO_NEWLINE = /^[^\r\n]*$/;

/**
 * Appends the failure details the sync-hooks engine passes to SyncFail hooks, when present
 * (Argo CD passes none; the message is then sent as is).
 */
const FAILURE_DETAILS = [
  'if [ -n "${SYNC_HOOKS_FAILED_PHASE:-}${SYNC_HOOKS_FAILED_OBJECT:-}${SYNC_HOOKS_FAILURE_MESSAGE:-}" ]; then',
  '  msg="$msg',
  'Phase: ${SYNC_HOOKS_FAILED_PHASE:-unknown}',
  'Object: ${SYNC_HOOKS_FAILED_OBJECT:-unknown}',
  'Failure: ${SYNC_HOOKS_FAILURE_MESSAGE:-}"',
  'fi',
].join('\n');

export interface NotificationContext {
  /** The phase the notification runs in, reported in webhook bodies. */
  readonly phase: 'PostSync' | 'SyncFail';
  /** Default message when `message` is unset; `{app}` is substituted. */
  readonly defaultMessage: (appName?: string) => string;
  /** Append the engine's failure details to the message (SyncFail). */
  readonly failureDetails: boolean;
}

function resolveMessage(p: Problems, props: NotificationProps, ctx: NotificationContext): string {
  if (props.appName !== undefined) checkNonEmpty(p, 'appName', props.appName);
  if (props.message === undefined) return ctx.defaultMessage(props.appName);
  checkNonEmpty(p, 'message', props.message);
  if (typeof props.message === 'string' && props.message.includes('{app}') && props.appName === undefined) {
    p.add('message', "uses {app} but 'appName' is not set");
  }
  return String(props.message).split('{app}').join(props.appName ?? '');
}

/** The channel names, in the order they are checked. */
export const CHANNELS = ['slack', 'webhook', 'email', 'pagerduty', 'teams'] as const;

function slack(p: Problems, s: SlackNotification): Channel {
  checkSecretRef(p, 'slack.webhookUrl', s.webhookUrl, 'webhook URL');
  const body = jsonBody(p, 'slack', { text: slot('message'), channel: s.channel, username: s.username, icon_emoji: s.iconEmoji });
  return { env: { NOTIFY_URL: { secretKeyRef: s.webhookUrl }, ...body.env }, script: httpScript('POST', [], body.expr) };
}

function webhook(p: Problems, w: WebhookNotification, appName: string | undefined, phase: string): Channel {
  checkSecretRef(p, 'webhook.url', w.url, 'webhook URL');
  if (w.method !== undefined && w.method !== 'POST' && w.method !== 'PUT') p.add('webhook.method', `must be POST or PUT, got ${quote(w.method)}`);
  const env: Record<string, EnvValue> = { NOTIFY_URL: { secretKeyRef: w.url } };
  const headers: string[] = [];
  Object.entries(w.headers ?? {}).forEach(([name, value], i) => {
    if (!HEADER_NAME.test(name)) p.add(`webhook.headers.${name}`, 'is not a valid header name');
    else if (CREDENTIAL_HEADER.test(name)) {
      p.add(`webhook.headers.${name}`, 'looks like a credential and must not be inline: move it to secretHeaders (a Secret key reference)');
    }
    if (!NO_NEWLINE.test(String(value))) p.add(`webhook.headers.${name}`, 'must not contain a line break');
    env[`NOTIFY_HEADER_${i}`] = `${name}: ${value}`;
    headers.push(`"$NOTIFY_HEADER_${i}"`);
  });
  Object.entries(w.secretHeaders ?? {}).forEach(([name, ref], i) => {
    if (!HEADER_NAME.test(name)) p.add(`webhook.secretHeaders.${name}`, 'is not a valid header name');
    checkSecretRef(p, `webhook.secretHeaders.${name}`, ref, 'header value');
    env[`NOTIFY_SECRET_HEADER_${i}`] = { secretKeyRef: ref };
    // The name is checked against HEADER_NAME (letters, digits, '-'), so it is safe in the script text.
    headers.push(`"${HEADER_NAME.test(name) ? name : 'X-Invalid'}: $NOTIFY_SECRET_HEADER_${i}"`);
  });
  let body: { env: Record<string, string>; expr: string };
  if (w.body !== undefined) {
    if (w.fields !== undefined) p.add('webhook.fields', "cannot be combined with 'body'; put the fields into the body template");
    if (typeof w.body !== 'object' || w.body === null) p.add('webhook.body', `must be a JSON object or array, got ${quote(w.body)}`);
    body = jsonBody(p, 'webhook.body', resolveTemplate(p, 'webhook.body', w.body, { app: appName, phase }));
  } else {
    body = jsonBody(p, 'webhook.fields', { ...w.fields, app: appName, phase, message: slot('message') });
  }
  return { env: { ...env, ...body.env }, script: httpScript(w.method ?? 'POST', headers, body.expr) };
}

function email(p: Problems, e: EmailNotification, subject: string): Channel {
  checkNonEmpty(p, 'email.smtpHost', e.smtpHost);
  if (typeof e.smtpHost === 'string' && !/^[A-Za-z0-9.-]+$/.test(e.smtpHost)) p.add('email.smtpHost', `is not a host name: ${quote(e.smtpHost)}`);
  checkInteger(p, 'email.smtpPort', e.smtpPort, 1);
  const security = e.security ?? (e.smtpPort === 465 ? 'tls' : 'starttls');
  if (!['starttls', 'tls', 'none'].includes(security)) p.add('email.security', `must be starttls, tls or none, got ${quote(security)}`);
  const port = e.smtpPort ?? (security === 'tls' ? 465 : 587);
  const to = typeof e.to === 'string' ? [e.to] : [...(e.to ?? [])];
  if (to.length === 0) p.add('email.to', 'must list at least one recipient');
  to.forEach((a, i) => {
    if (!ADDRESS.test(a)) p.add(`email.to[${i}]`, `is not an email address: ${quote(a)}`);
  });
  if (!ADDRESS.test(e.from)) p.add('email.from', `is not an email address: ${quote(e.from)}`);
  const subj = e.subject ?? subject;
  if (!NO_NEWLINE.test(subj)) p.add('email.subject', 'must not contain a line break');
  if (e.password !== undefined) checkSecretRef(p, 'email.password', e.password, 'SMTP password');
  if (typeof e.username === 'object') checkSecretRef(p, 'email.username', e.username, 'SMTP user');
  if (e.username !== undefined && e.password === undefined) p.add('email.password', "is required when 'username' is set");
  if (e.password !== undefined && e.username === undefined) p.add('email.username', "is required when 'password' is set");

  const env: Record<string, EnvValue> = {
    NOTIFY_SMTP_URL: `${security === 'tls' ? 'smtps' : 'smtp'}://${e.smtpHost}:${port}`,
    NOTIFY_MAIL_FROM: e.from,
    NOTIFY_MAIL_TO: to.join(', '),
    NOTIFY_MAIL_SUBJECT: subj,
  };
  to.forEach((a, i) => (env[`NOTIFY_MAIL_RCPT_${i}`] = a));
  if (e.username !== undefined) env.NOTIFY_SMTP_USER = typeof e.username === 'string' ? e.username : { secretKeyRef: e.username };
  if (e.password !== undefined) env.NOTIFY_SMTP_PASSWORD = { secretKeyRef: e.password };
  const rcpts = to.map((_, i) => ` --mail-rcpt "$NOTIFY_MAIL_RCPT_${i}"`).join('');
  const auth = e.username !== undefined ? ' --user "$NOTIFY_SMTP_USER:$NOTIFY_SMTP_PASSWORD"' : '';
  const tls = security === 'starttls' ? ' --ssl-reqd' : '';
  const script = [
    '{',
    "  printf 'From: %s\\nTo: %s\\nSubject: %s\\nMIME-Version: 1.0\\nContent-Type: text/plain; charset=UTF-8\\n\\n' \"$NOTIFY_MAIL_FROM\" \"$NOTIFY_MAIL_TO\" \"$NOTIFY_MAIL_SUBJECT\"",
    "  printf '%s\\n' \"$msg\"",
    `} | curl -sS --max-time 30 --retry 2 --url "$NOTIFY_SMTP_URL"${tls} --mail-from "$NOTIFY_MAIL_FROM"${rcpts}${auth} --upload-file - --crlf`,
  ].join('\n');
  return { env, script };
}

/**
 * Validates the channel props into `p` and returns the container that sends the notification.
 * The result is only meaningful when `p` has no problems.
 */
export function notificationContainer(p: Problems, props: NotificationProps, ctx: NotificationContext): NotificationContainer {
  const channels = CHANNELS.filter((k) => props[k] !== undefined);
  if (channels.length !== 1) {
    p.add(channels.length === 0 ? CHANNELS.join('/') : channels[1], `set exactly one of ${CHANNELS.join(', ')} (got ${channels.length === 0 ? 'none' : channels.join(', ')})`);
  }
  if (props.image !== undefined) checkNonEmpty(p, 'image', props.image);
  const message = resolveMessage(p, props, ctx);
  const firstLine = message.split('\n')[0];
  let channel: Channel = { env: {}, script: '' };
  if (props.slack) channel = slack(p, props.slack);
  else if (props.webhook) channel = webhook(p, props.webhook, props.appName, ctx.phase);
  else if (props.email) channel = email(p, props.email, firstLine);
  else if (props.pagerduty) channel = pagerDuty(p, props.pagerduty, props.appName, ctx.phase, firstLine);
  else if (props.teams) channel = teams(p, props.teams, props.appName, ctx.phase, firstLine);
  const script = ['set -eu', JSON_ESCAPE_FN, 'msg="$NOTIFY_MESSAGE"', ...(ctx.failureDetails ? [FAILURE_DETAILS] : []), channel.script].join('\n');
  return {
    image: props.image ?? DEFAULT_NOTIFIER_IMAGE,
    command: ['/bin/sh', '-c', script],
    env: escapeDollars({ NOTIFY_MESSAGE: message, ...channel.env }),
  };
}

/**
 * Kubernetes expands `$(VAR)` and turns `$$` into `$` in env values; doubling every `$` makes the
 * container see the text exactly as written.
 */
function escapeDollars(env: Record<string, EnvValue>): Record<string, EnvValue> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v.split('$').join('$$') : v]));
}

/** Rejects user environment variables that would shadow the notification script's. */
export function checkNoNotifyEnv(p: Problems, env: Record<string, EnvValue> | undefined): void {
  for (const name of Object.keys(env ?? {})) {
    if (name.startsWith(NOTIFY_ENV_PREFIX)) p.add(`env.${name}`, `names starting with ${NOTIFY_ENV_PREFIX} are reserved for the notification script`);
  }
}
