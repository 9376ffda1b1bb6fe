/**
 * Internal: the PagerDuty Events API v2 and Microsoft Teams (Workflows webhook, Adaptive Card)
 * channels of the notification script.
 * @internal
 */
import type { PagerDutyNotification, TeamsNotification } from './notification';
import { Channel, httpScript, jsonBody, slot } from './_notify-json';
import { checkSecretRef } from './_render';
import { checkNonEmpty, Problems, quote } from './_validate';

/** PagerDuty's Events API v2 endpoint. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

function optionalText(p: Problems, prop: string, v: unknown): void {
  if (v !== undefined) checkNonEmpty(p, prop, v);
}

/** SyncFail: `trigger` with the failure in `custom_details`; PostSync: `resolve` of the same dedup key. */
export function pagerDuty(p: Problems, pd: PagerDutyNotification, app: string | undefined, phase: 'PostSync' | 'SyncFail', summary: string): Channel {
  checkSecretRef(p, 'pagerduty.routingKey', pd.routingKey, 'routing key');
  if (pd.eventsUrl !== undefined) checkSecretRef(p, 'pagerduty.eventsUrl', pd.eventsUrl, 'Events API URL');
  if (pd.severity !== undefined && !SEVERITIES.includes(pd.severity)) {
    p.add('pagerduty.severity', `must be one of ${SEVERITIES.join(', ')}, got ${quote(pd.severity)}`);
  }
  optionalText(p, 'pagerduty.source', pd.source);
  optionalText(p, 'pagerduty.component', pd.component);
  optionalText(p, 'pagerduty.group', pd.group);
  if (pd.dedupKey !== undefined) {
    checkNonEmpty(p, 'pagerduty.dedupKey', pd.dedupKey);
    if (typeof pd.dedupKey === 'string' && pd.dedupKey.length > 255) p.add('pagerduty.dedupKey', `is ${pd.dedupKey.length} characters long; at most 255 are allowed`);
  } else if (app === undefined) {
    p.add('pagerduty.dedupKey', "set 'appName' or 'dedupKey': the incident is keyed per application, so the next successful sync can resolve it");
  }
  if (summary.length > 1024) p.add('message', `is ${summary.length} characters long on its first line; PagerDuty accepts a summary of at most 1024`);
  const dedupKey = pd.dedupKey ?? `sync-hooks/${app ?? ''}`;
  const event =
    phase === 'SyncFail'
      ? {
          routing_key: slot('routingKey'),
          event_action: 'trigger',
          dedup_key: dedupKey,
          payload: {
            summary,
            source: pd.source ?? app ?? 'sync-hooks',
            severity: pd.severity ?? 'error',
            component: pd.component,
            group: pd.group,
            class: 'sync failure',
            custom_details: {
              app,
              message: slot('message'),
              failed_phase: slot('failedPhase'),
              failed_object: slot('failedObject'),
              failure: slot('failureMessage'),
            },
          },
          client: 'sync-hooks',
        }
      : { routing_key: slot('routingKey'), event_action: 'resolve', dedup_key: dedupKey };
  const body = jsonBody(p, 'pagerduty', event);
  return {
    env: {
      NOTIFY_URL: pd.eventsUrl !== undefined ? { secretKeyRef: pd.eventsUrl } : PAGERDUTY_EVENTS_URL,
      NOTIFY_ROUTING_KEY: { secretKeyRef: pd.routingKey },
      ...body.env,
    },
    script: httpScript('POST', [], body.expr),
  };
}

/** A message with one Adaptive Card: title, the message, and facts (app, phase, failure). */
export function teams(p: Problems, t: TeamsNotification, app: string | undefined, phase: 'PostSync' | 'SyncFail', firstLine: string): Channel {
  checkSecretRef(p, 'teams.webhookUrl', t.webhookUrl, 'webhook URL');
  optionalText(p, 'teams.title', t.title);
  const facts: Array<{ title: string; value: string }> = [];
  if (app !== undefined) facts.push({ title: 'Application', value: app });
  facts.push({ title: 'Phase', value: phase });
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, color: phase === 'SyncFail' ? 'Attention' : 'Good', text: t.title ?? firstLine },
      { type: 'TextBlock', wrap: true, text: slot('message') },
      { type: 'FactSet', facts },
    ],
  };
  const body = jsonBody(p, 'teams', {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  });
  return { env: { NOTIFY_URL: { secretKeyRef: t.webhookUrl }, ...body.env }, script: httpScript('POST', [], body.expr) };
}
