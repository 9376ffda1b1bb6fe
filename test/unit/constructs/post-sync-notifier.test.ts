import {
  DEFAULT_NOTIFIER_IMAGE,
  NOTIFIER_DEFAULTS,
  PostSyncNotifier,
  PostSyncNotifierProps,
} from '../../../src/constructs';
import { argAfter, container, envOf, newChart, only, runContainer, validationError } from './_helpers';

const slackUrl = { secretName: 'slack-webhook', key: 'url' };
const secrets = {
  'slack-webhook': { url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  hook: { url: 'https://hooks.example.com/deploys?token=abc', auth: 'Bearer t0k' },
  smtp: { password: 'p@ss:word', user: 'mailer' },
};

function notifier(props: PostSyncNotifierProps) {
  const chart = newChart();
  const n = new PostSyncNotifier(chart, 'Slack', props);
  return { n, m: only(chart) };
}

describe('PostSyncNotifier manifest', () => {
  test('Slack: the seed pattern (generateName, HookSucceeded, short deadline, backoffLimit) and the secret via secretKeyRef', () => {
    const { n, m } = notifier({ appName: 'shop', slack: { webhookUrl: slackUrl, channel: '#deploys' } });
    expect(m.metadata).toEqual({
      generateName: 'slack-',
      annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
    });
    expect(n.generateName).toBe('slack-');
    expect(n.name).toBeUndefined();
    expect(m.spec.activeDeadlineSeconds).toBe(120);
    expect(m.spec.backoffLimit).toBe(1);
    expect(m.spec.template.spec.restartPolicy).toBe('Never');
    const c = container(m);
    expect(c.name).toBe('notify');
    expect(c.image).toBe(DEFAULT_NOTIFIER_IMAGE);
    expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } });
    expect(envOf(m)).toEqual({
      NOTIFY_MESSAGE: 'shop: sync succeeded',
      NOTIFY_URL: { secretKeyRef: { name: 'slack-webhook', key: 'url' } },
      NOTIFY_BODY_0: '{"text":"',
      NOTIFY_BODY_1: '","channel":"#deploys"}',
    });
    expect(JSON.stringify(m)).not.toContain('hooks.slack.com');
    expect(NOTIFIER_DEFAULTS).toEqual({ deletePolicy: 'HookSucceeded', activeDeadlineSeconds: 120, backoffLimit: 1, containerName: 'notify' });
  });

  test('defaults can be overridden; a name replaces the default generateName', () => {
    const { n, m } = notifier({
      slack: { webhookUrl: slackUrl },
      name: 'notify-fixed',
      deletePolicy: ['BeforeHookCreation', 'HookSucceeded'],
      activeDeadlineSeconds: 60,
      backoffLimit: 3,
      wave: 10,
      image: 'registry.local/curl:8',
      env: { HTTPS_PROXY: 'http://proxy:3128' },
      resources: { limits: { memory: '32Mi' } },
    });
    expect(n.name).toBe('notify-fixed');
    expect(m.metadata).toEqual({
      name: 'notify-fixed',
      annotations: {
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
        'argocd.argoproj.io/sync-wave': '10',
      },
    });
    expect(m.spec.activeDeadlineSeconds).toBe(60);
    expect(m.spec.backoffLimit).toBe(3);
    expect(container(m).image).toBe('registry.local/curl:8');
    expect(container(m).resources).toEqual({ limits: { memory: '32Mi' } });
    expect(envOf(m).HTTPS_PROXY).toBe('http://proxy:3128');
  });

  test('default generateName is derived from the construct id', () => {
    const chart = newChart();
    expect(new PostSyncNotifier(chart, 'Deploy Notification!', { slack: { webhookUrl: slackUrl } }).generateName).toBe('deploy-notification-');
    expect(new PostSyncNotifier(chart, '___', { slack: { webhookUrl: slackUrl } }).generateName).toBe('notify-');
    expect(new PostSyncNotifier(chart, 'x'.repeat(80), { slack: { webhookUrl: slackUrl } }).generateName).toBe(`${'x'.repeat(35)}-`);
  });

  test('dollar signs in generated env values are escaped for Kubernetes ($$)', () => {
    const { m } = notifier({ slack: { webhookUrl: slackUrl }, message: 'cost $(HOME) $5' });
    expect(envOf(m).NOTIFY_MESSAGE).toBe('cost $$(HOME) $$5');
  });
});

// Slack, webhook, PagerDuty, Teams and SMTP delivery run with the real curl in notifiers-curl.test.ts.
// The TLS variants below need a TLS server; they check curl's arguments with a stub.
describe('PostSyncNotifier email script TLS options (stub curl)', () => {
  test('email over SMTP with STARTTLS (default), password from a Secret', () => {
    const { m } = notifier({
      appName: 'shop',
      email: {
        smtpHost: 'smtp.example.com',
        username: 'bot@example.com',
        password: { secretName: 'smtp', key: 'password' },
        from: 'argocd@example.com',
        to: ['ops@example.com', 'dev@example.com'],
      },
    });
    expect(envOf(m).NOTIFY_SMTP_PASSWORD).toEqual({ secretKeyRef: { name: 'smtp', key: 'password' } });
    const r = runContainer(m, { secrets, stubs: ['curl'] });
    expect(r.status).toBe(0);
    const { args, stdin } = r.calls.curl[0];
    expect(argAfter(args, '--url')).toBe('smtp://smtp.example.com:587');
    expect(args).toContain('--ssl-reqd');
    expect(argAfter(args, '--mail-from')).toBe('argocd@example.com');
    expect(args.filter((_, i) => args[i - 1] === '--mail-rcpt')).toEqual(['ops@example.com', 'dev@example.com']);
    expect(argAfter(args, '--user')).toBe('bot@example.com:p@ss:word');
    expect(argAfter(args, '--upload-file')).toBe('-');
    expect(stdin).toBe(
      [
        'From: argocd@example.com',
        'To: ops@example.com, dev@example.com',
        'Subject: shop: sync succeeded',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        'shop: sync succeeded',
        '',
      ].join('\n'),
    );
  });

  test('email: implicit TLS on 465, no auth, user from a Secret, custom subject', () => {
    const tls = notifier({ email: { smtpHost: 'mail', smtpPort: 465, from: 'a@b.c', to: 'x@y.z', subject: 'Deployed' } }).m;
    let r = runContainer(tls, { stubs: ['curl'] });
    expect(argAfter(r.calls.curl[0].args, '--url')).toBe('smtps://mail:465');
    expect(r.calls.curl[0].args).not.toContain('--ssl-reqd');
    expect(r.calls.curl[0].args).not.toContain('--user');
    expect(r.calls.curl[0].stdin).toContain('Subject: Deployed\n');

    const clear = notifier({
      email: {
        smtpHost: 'relay.mail.svc',
        security: 'none',
        username: { secretName: 'smtp', key: 'user' },
        password: { secretName: 'smtp', key: 'password' },
        from: 'a@b.c',
        to: 'x@y.z',
      },
    }).m;
    r = runContainer(clear, { secrets, stubs: ['curl'] });
    expect(argAfter(r.calls.curl[0].args, '--url')).toBe('smtp://relay.mail.svc:587');
    expect(r.calls.curl[0].args).not.toContain('--ssl-reqd');
    expect(argAfter(r.calls.curl[0].args, '--user')).toBe('mailer:p@ss:word');
  });
});

describe('PostSyncNotifier validation', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'inline Slack webhook URL',
      { slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/X' } },
      'slack.webhookUrl: must be a Secret key reference { secretName, key }, not an inline value: store the webhook URL in a Secret and reference it',
    ],
    [
      'inline webhook URL',
      { webhook: { url: 'https://example.com/hook' } },
      'webhook.url: must be a Secret key reference { secretName, key }, not an inline value: store the webhook URL in a Secret and reference it',
    ],
    [
      'inline SMTP password',
      { email: { smtpHost: 'mail', username: 'u', password: 'hunter2', from: 'a@b.c', to: 'x@y.z' } },
      'email.password: must be a Secret key reference { secretName, key }, not an inline value: store the SMTP password in a Secret and reference it',
    ],
    [
      'credential in plain headers',
      { webhook: { url: { secretName: 'h', key: 'u' }, headers: { Authorization: 'Bearer abc' } } },
      'webhook.headers.Authorization: looks like a credential and must not be inline: move it to secretHeaders (a Secret key reference)',
    ],
    ['no channel', {}, 'slack/webhook/email/pagerduty/teams: set exactly one of slack, webhook, email, pagerduty, teams (got none)'],
    [
      'two channels',
      { slack: { webhookUrl: slackUrl }, webhook: { url: slackUrl } },
      'webhook: set exactly one of slack, webhook, email, pagerduty, teams (got slack, webhook)',
    ],
    ['{app} without appName', { slack: { webhookUrl: slackUrl }, message: 'deployed {app}' }, "message: uses {app} but 'appName' is not set"],
    [
      'invalid secret name',
      { slack: { webhookUrl: { secretName: 'Slack_Secret', key: 'url' } } },
      'slack.webhookUrl.secretName: "Slack_Secret" is not a valid DNS-1123 name (lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)',
    ],
    [
      'username without password',
      { email: { smtpHost: 'mail', username: 'u', from: 'a@b.c', to: 'x@y.z' } },
      "email.password: is required when 'username' is set",
    ],
    ['bad recipient', { email: { smtpHost: 'mail', from: 'a@b.c', to: ['ops'] } }, 'email.to[0]: is not an email address: "ops"'],
    [
      'header injection in the subject',
      { email: { smtpHost: 'mail', from: 'a@b.c', to: 'x@y.z', subject: 'hi\nBcc: all@corp' } },
      'email.subject: must not contain a line break',
    ],
    [
      'reserved env name',
      { slack: { webhookUrl: slackUrl }, env: { NOTIFY_URL: 'https://evil' } },
      'env.NOTIFY_URL: names starting with NOTIFY_ are reserved for the notification script',
    ],
    [
      'password without username',
      { email: { smtpHost: 'mail', password: { secretName: 's', key: 'p' }, from: 'a@b.c', to: 'x@y.z' } },
      "email.username: is required when 'password' is set",
    ],
    ['bad sender', { email: { smtpHost: 'mail', from: 'argocd', to: 'x@y.z' } }, 'email.from: is not an email address: "argocd"'],
    ['no recipient', { email: { smtpHost: 'mail', from: 'a@b.c', to: [] } }, 'email.to: must list at least one recipient'],
    ['bad SMTP host', { email: { smtpHost: 'mail; rm -rf /', from: 'a@b.c', to: 'x@y.z' } }, 'email.smtpHost: is not a host name: "mail; rm -rf /"'],
    ['bad SMTP port', { email: { smtpHost: 'mail', smtpPort: 0, from: 'a@b.c', to: 'x@y.z' } }, 'email.smtpPort: must be at least 1, got 0'],
    ['bad security', { email: { smtpHost: 'mail', security: 'ssl', from: 'a@b.c', to: 'x@y.z' } }, 'email.security: must be starttls, tls or none, got "ssl"'],
    ['bad method', { webhook: { url: slackUrl, method: 'GET' } }, 'webhook.method: must be POST or PUT, got "GET"'],
    ['bad header name', { webhook: { url: slackUrl, headers: { 'X Env': 'a' } } }, 'webhook.headers.X Env: is not a valid header name'],
    ['header value with a line break', { webhook: { url: slackUrl, headers: { 'X-Env': 'a\r\nX-Evil: 1' } } }, 'webhook.headers.X-Env: must not contain a line break'],
    [
      'inline secret header',
      { webhook: { url: slackUrl, secretHeaders: { Authorization: 'Bearer abc' } } },
      'webhook.secretHeaders.Authorization: must be a Secret key reference { secretName, key }, not an inline value: store the header value in a Secret and reference it',
    ],
    ['empty appName', { slack: { webhookUrl: slackUrl }, appName: '' }, 'appName: must be a non-empty string, got ""'],
    ['empty image', { slack: { webhookUrl: slackUrl }, image: '' }, 'image: must be a non-empty string, got ""'],
    ['Slack URL reference without a key', { slack: { webhookUrl: { secretName: 'slack' } } }, 'slack.webhookUrl.key: must be a non-empty string, got undefined'],
    [
      'generateName on top of a name',
      { slack: { webhookUrl: slackUrl }, name: 'n', generateName: 'n-' },
      "generateName: cannot be combined with 'name'; set one of them",
    ],
    [
      'inline PagerDuty routing key',
      { appName: 'shop', pagerduty: { routingKey: 'R0UT1NG' } },
      'pagerduty.routingKey: must be a Secret key reference { secretName, key }, not an inline value: store the routing key in a Secret and reference it',
    ],
    [
      'inline PagerDuty endpoint',
      { appName: 'shop', pagerduty: { routingKey: slackUrl, eventsUrl: 'https://proxy/v2/enqueue' } },
      'pagerduty.eventsUrl: must be a Secret key reference { secretName, key }, not an inline value: store the Events API URL in a Secret and reference it',
    ],
    [
      'PagerDuty without appName or dedupKey',
      { pagerduty: { routingKey: slackUrl } },
      "pagerduty.dedupKey: set 'appName' or 'dedupKey': the incident is keyed per application, so the next successful sync can resolve it",
    ],
    ['bad PagerDuty severity', { appName: 'a', pagerduty: { routingKey: slackUrl, severity: 'high' } }, 'pagerduty.severity: must be one of critical, error, warning, info, got "high"'],
    ['long dedup key', { pagerduty: { routingKey: slackUrl, dedupKey: 'k'.repeat(256) } }, 'pagerduty.dedupKey: is 256 characters long; at most 255 are allowed'],
    [
      'inline Teams URL',
      { teams: { webhookUrl: 'https://prod.westeurope.logic.azure.com/workflows/x' } },
      'teams.webhookUrl: must be a Secret key reference { secretName, key }, not an inline value: store the webhook URL in a Secret and reference it',
    ],
    [
      'unknown placeholder in a body template, at its path',
      { webhook: { url: slackUrl, body: { event: { tags: ['ok', '{revision}'] } } } },
      'webhook.body.event.tags[1]: unknown placeholder {revision} (expected {app}, {phase}, {message}, {failedPhase}, {failedObject}, {failureMessage})',
    ],
    ['{app} in a body template without appName', { webhook: { url: slackUrl, body: { app: '{app}' } } }, "webhook.body.app: uses {app} but 'appName' is not set"],
    [
      'body and fields together',
      { webhook: { url: slackUrl, body: { a: 1 }, fields: { b: 2 } } },
      "webhook.fields: cannot be combined with 'body'; put the fields into the body template",
    ],
    [
      'a non-JSON value in a body template',
      { webhook: { url: slackUrl, body: { at: new Date(0) } } },
      'webhook.body.at: must be a JSON value (string, number, boolean, null, array or plain object), got "object"',
    ],
  ];

  test.each(cases)('%s', (_title, props, message) => {
    const err = validationError(() => new PostSyncNotifier(newChart(), 'notify', props as unknown as PostSyncNotifierProps));
    expect(err.message).toBe(`[test/notify] ${message}`);
    expect(err.path).toBe('test/notify');
  });
});
