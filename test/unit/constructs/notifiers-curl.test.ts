/**
 * The notification scripts run with the real `curl` against receivers on 127.0.0.1: what goes
 * over the wire (method, headers, body; SMTP envelope and message) is what the services expect.
 */
import { PostSyncNotifier, PostSyncNotifierProps, SyncFailHook, SyncFailHookProps } from '../../../src/constructs';
import { newChart, only } from './_helpers';
import { HttpReceiver, requireCurl, runContainerReal, SmtpSink, startHttpReceiver, startSmtpSink } from './_receivers';

// Each test runs the generated script with the real sh and curl: seconds, not milliseconds, on a loaded machine.
jest.setTimeout(60_000);

const ref = (secretName: string, key = 'url') => ({ secretName, key });
const failure = {
  SYNC_HOOKS_FAILED_PHASE: 'PreSync',
  SYNC_HOOKS_FAILED_OBJECT: 'Job shop/db-migrate',
  SYNC_HOOKS_FAILURE_MESSAGE: 'Job has reached the specified backoff limit: "BackoffLimitExceeded"',
};

let http: HttpReceiver;
let secrets: Record<string, Record<string, string>>;

beforeAll(() => requireCurl());
beforeEach(async () => {
  http = await startHttpReceiver();
  secrets = {
    slack: { url: http.url('/services/T000/B000/XXXX') },
    hook: { url: http.url('/deploys?token=abc'), auth: 'Bearer t0k' },
    pd: { key: 'R0UT1NGKEY0123456789', url: http.url('/v2/enqueue') },
    teams: { url: http.url('/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t') },
  };
});
afterEach(() => http.close());

function postSync(props: PostSyncNotifierProps) {
  const chart = newChart();
  new PostSyncNotifier(chart, 'notify', props);
  return only(chart);
}
function syncFail(props: SyncFailHookProps) {
  const chart = newChart();
  new SyncFailHook(chart, 'alert', props);
  return only(chart);
}

/** The one request the receiver got. */
function oneRequest() {
  expect(http.requests).toHaveLength(1);
  return http.requests[0];
}

describe('Slack', () => {
  test('POSTs the JSON payload to the URL from the Secret', async () => {
    const m = postSync({ appName: 'shop', slack: { webhookUrl: ref('slack'), channel: '#deploys', username: 'argo', iconEmoji: ':rocket:' } });
    const r = await runContainerReal(m, { secrets });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const req = oneRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/services/T000/B000/XXXX');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ text: 'shop: sync succeeded', channel: '#deploys', username: 'argo', icon_emoji: ':rocket:' });
  });

  test('any message text survives quoting, JSON escaping and Kubernetes expansion', async () => {
    const message = `{app} said "hi" \\ back\\slash\n$HOME $(whoami) \`id\` $$ 'q' ünïcødé\r\nlast\ttab`;
    const r = await runContainerReal(postSync({ appName: 'shop', slack: { webhookUrl: ref('slack') }, message }), { secrets });
    expect(r.status).toBe(0);
    expect(JSON.parse(oneRequest().body).text).toBe(`shop said "hi" \\ back\\slash\n$HOME $(whoami) \`id\` $$ 'q' ünïcødé\nlast tab`);
  });

  test('SyncFail appends the failure details from the engine', async () => {
    const r = await runContainerReal(syncFail({ appName: 'shop', slack: { webhookUrl: ref('slack') } }), { secrets, extraEnv: failure });
    expect(r.status).toBe(0);
    expect(JSON.parse(oneRequest().body).text).toBe(
      'shop: sync failed\nPhase: PreSync\nObject: Job shop/db-migrate\nFailure: Job has reached the specified backoff limit: "BackoffLimitExceeded"',
    );
  });

  test('without the engine (plain Argo CD) a SyncFail message is sent as is', async () => {
    const r = await runContainerReal(syncFail({ slack: { webhookUrl: ref('slack') }, message: 'Deploy failed, see Argo CD' }), { secrets });
    expect(r.status).toBe(0);
    expect(JSON.parse(oneRequest().body)).toEqual({ text: 'Deploy failed, see Argo CD' });
  });

  test('an error status fails the script without printing the secret URL', async () => {
    http.status = 400;
    const r = await runContainerReal(postSync({ slack: { webhookUrl: ref('slack') } }), { secrets });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('400');
    expect(r.stderr + r.stdout).not.toContain('XXXX');
  });
});

describe('generic webhook', () => {
  test('method, plain and secret headers, default body with fields', async () => {
    const m = postSync({
      appName: 'shop',
      webhook: { url: ref('hook'), method: 'PUT', headers: { 'X-Env': 'prod' }, secretHeaders: { Authorization: ref('hook', 'auth') }, fields: { cluster: 'eu-1', attempt: 1, final: true } },
    });
    expect(JSON.stringify(m)).not.toContain('t0k');
    const r = await runContainerReal(m, { secrets });
    expect(r.status).toBe(0);
    const req = oneRequest();
    expect(req.method).toBe('PUT');
    expect(req.path).toBe('/deploys?token=abc');
    expect(req.headers).toMatchObject({ 'content-type': 'application/json', 'x-env': 'prod', authorization: 'Bearer t0k' });
    expect(JSON.parse(req.body)).toEqual({ cluster: 'eu-1', attempt: 1, final: true, app: 'shop', phase: 'PostSync', message: 'shop: sync succeeded' });
  });

  test('the default body of a SyncFail hook reports phase SyncFail', async () => {
    const r = await runContainerReal(syncFail({ appName: 'shop', webhook: { url: ref('hook') } }), { secrets });
    expect(r.status).toBe(0);
    expect(JSON.parse(oneRequest().body)).toEqual({ app: 'shop', phase: 'SyncFail', message: 'shop: sync failed' });
  });

  test('a nested body template: static and run-time placeholders, JSON types kept', async () => {
    const m = syncFail({
      appName: 'shop',
      message: 'Deploy of {app} failed',
      webhook: {
        url: ref('hook'),
        body: {
          event: { kind: 'deploy', app: '{app}', phase: '{phase}', ok: false, attempt: 2, tags: ['{app}', 'x'], none: null },
          text: '{message}',
          failure: { phase: '{failedPhase}', object: 'object={failedObject}', why: '{failureMessage}' },
        },
      },
    });
    const r = await runContainerReal(m, { secrets, extraEnv: failure });
    expect(r.status).toBe(0);
    expect(JSON.parse(oneRequest().body)).toEqual({
      event: { kind: 'deploy', app: 'shop', phase: 'SyncFail', ok: false, attempt: 2, tags: ['shop', 'x'], none: null },
      text: 'Deploy of shop failed\nPhase: PreSync\nObject: Job shop/db-migrate\nFailure: Job has reached the specified backoff limit: "BackoffLimitExceeded"',
      failure: { phase: 'PreSync', object: 'object=Job shop/db-migrate', why: 'Job has reached the specified backoff limit: "BackoffLimitExceeded"' },
    });
  });

  test('without the engine the failure placeholders are empty strings', async () => {
    const m = syncFail({ webhook: { url: ref('hook'), body: { failure: { object: '{failedObject}' }, text: '{message}' } } });
    const r = await runContainerReal(m, { secrets });
    expect(r.status).toBe(0);
    expect(JSON.parse(oneRequest().body)).toEqual({ failure: { object: '' }, text: 'Sync failed' });
  });
});

describe('PagerDuty Events API v2', () => {
  const pagerduty = { routingKey: ref('pd', 'key'), eventsUrl: ref('pd', 'url') };

  test('SyncFail triggers an alert with a stable dedup key per app and the failure in custom_details', async () => {
    const m = syncFail({ appName: 'shop', pagerduty: { ...pagerduty, severity: 'critical', component: 'checkout' } });
    expect(JSON.stringify(m)).not.toContain('R0UT1NGKEY');
    const r = await runContainerReal(m, { secrets, extraEnv: failure });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const req = oneRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v2/enqueue');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      routing_key: 'R0UT1NGKEY0123456789',
      event_action: 'trigger',
      dedup_key: 'sync-hooks/shop',
      payload: {
        summary: 'shop: sync failed',
        source: 'shop',
        severity: 'critical',
        component: 'checkout',
        class: 'sync failure',
        custom_details: {
          app: 'shop',
          message: 'shop: sync failed\nPhase: PreSync\nObject: Job shop/db-migrate\nFailure: Job has reached the specified backoff limit: "BackoffLimitExceeded"',
          failed_phase: 'PreSync',
          failed_object: 'Job shop/db-migrate',
          failure: 'Job has reached the specified backoff limit: "BackoffLimitExceeded"',
        },
      },
      client: 'sync-hooks',
    });
  });

  test('a PostSync notifier resolves the same incident on the next successful sync', async () => {
    const r = await runContainerReal(postSync({ appName: 'shop', pagerduty }), { secrets });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const req = oneRequest();
    expect(req.method).toBe('POST');
    expect(JSON.parse(req.body)).toEqual({ routing_key: 'R0UT1NGKEY0123456789', event_action: 'resolve', dedup_key: 'sync-hooks/shop' });
  });

  test('the default endpoint is PagerDuty; the routing key only ever comes from the Secret', () => {
    const m = postSync({ appName: 'shop', pagerduty: { routingKey: ref('pd', 'key') } });
    const env = Object.fromEntries(m.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.NOTIFY_URL).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(env.NOTIFY_ROUTING_KEY).toEqual({ secretKeyRef: { name: 'pd', key: 'key' } });
  });
});

describe('Microsoft Teams (Workflows webhook)', () => {
  test('posts a message with one Adaptive Card', async () => {
    const r = await runContainerReal(syncFail({ appName: 'shop', teams: { webhookUrl: ref('teams') } }), { secrets, extraEnv: failure });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const req = oneRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, color: 'Attention', text: 'shop: sync failed' },
              {
                type: 'TextBlock',
                wrap: true,
                text: 'shop: sync failed\nPhase: PreSync\nObject: Job shop/db-migrate\nFailure: Job has reached the specified backoff limit: "BackoffLimitExceeded"',
              },
              { type: 'FactSet', facts: [{ title: 'Application', value: 'shop' }, { title: 'Phase', value: 'SyncFail' }] },
            ],
          },
        },
      ],
    });
  });

  test('PostSync: a green card with a custom title', async () => {
    const r = await runContainerReal(postSync({ appName: 'shop', teams: { webhookUrl: ref('teams'), title: 'Deployed' } }), { secrets });
    expect(r.status).toBe(0);
    const card = JSON.parse(oneRequest().body).attachments[0].content;
    expect(card.body[0]).toMatchObject({ color: 'Good', text: 'Deployed' });
    expect(card.body[1].text).toBe('shop: sync succeeded');
  });
});

describe('email over SMTP (local sink)', () => {
  let smtp: SmtpSink;
  beforeEach(async () => {
    smtp = await startSmtpSink();
  });
  afterEach(() => smtp.close());

  test('envelope, authentication and message as sent by curl', async () => {
    const m = postSync({
      appName: 'shop',
      email: {
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        security: 'none',
        username: ref('smtp', 'user'),
        password: ref('smtp', 'password'),
        from: 'argocd@example.com',
        to: ['ops@example.com', 'dev@example.com'],
      },
    });
    const r = await runContainerReal(m, { secrets: { smtp: { user: 'mailer', password: 'p@ss:word' } } });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail.from).toBe('argocd@example.com');
    expect(mail.rcpts).toEqual(['ops@example.com', 'dev@example.com']);
    expect(mail.auth).toBe('mailer:p@ss:word');
    expect(mail.data).toBe(
      [
        'From: argocd@example.com',
        'To: ops@example.com, dev@example.com',
        'Subject: shop: sync succeeded',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        'shop: sync succeeded',
        '',
      ].join('\r\n'),
    );
  });

  test('a SyncFail mail carries the failure; a line starting with a dot survives', async () => {
    const m = syncFail({ appName: 'shop', message: 'shop: sync failed\n.hidden line', email: { smtpHost: '127.0.0.1', smtpPort: smtp.port, security: 'none', from: 'a@b.c', to: 'x@y.z' } });
    const r = await runContainerReal(m, { extraEnv: failure });
    expect(r.status).toBe(0);
    expect(smtp.mails[0].auth).toBeUndefined();
    expect(smtp.mails[0].data.split('\r\n\r\n')[1]).toBe(
      'shop: sync failed\r\n.hidden line\r\nPhase: PreSync\r\nObject: Job shop/db-migrate\r\nFailure: Job has reached the specified backoff limit: "BackoffLimitExceeded"\r\n',
    );
  });

  test('STARTTLS (the default) refuses a server without TLS: no credentials, no mail in clear', async () => {
    const m = postSync({
      email: { smtpHost: '127.0.0.1', smtpPort: smtp.port, username: 'bot', password: ref('smtp', 'password'), from: 'a@b.c', to: 'x@y.z' },
    });
    const r = await runContainerReal(m, { secrets: { smtp: { password: 'p@ss:word' } } });
    expect(r.status).not.toBe(0);
    expect(smtp.mails).toEqual([]);
    expect(smtp.commands.some((c) => /^(AUTH|MAIL)/i.test(c))).toBe(false);
  });
});
