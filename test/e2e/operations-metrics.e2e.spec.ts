/**
 * /api/v1/metrics as a Prometheus server scrapes it (docs/operations.md): guarded by LEDGER_METRICS_TOKEN,
 * parsed by a Prometheus text parser, with the families an operator needs; or on LEDGER_METRICS_PORT
 * only. /health/ready shows the projection lag and its bound.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { actorsOf, registered, type Actors } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

interface Family {
  readonly name: string;
  readonly type: string;
  readonly metrics: ReadonlyArray<{
    readonly labels?: Record<string, string>;
    readonly value?: string;
    readonly buckets?: Record<string, string>;
    readonly count?: string;
  }>;
}

const METRICS_TOKEN = 'metrics-token-for-the-e2e-suite-0123456789';

async function withEnv<T>(env: Record<string, string>, start: () => Promise<T>): Promise<T> {
  Object.assign(process.env, env);
  try {
    return await start();
  } finally {
    for (const name of Object.keys(env)) delete process.env[name];
  }
}

describe('metrics behind a token', () => {
  let test: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    test = await withEnv({ LEDGER_METRICS_TOKEN: METRICS_TOKEN }, () => startTestServer());
    actors = await actorsOf(test);
  });
  afterAll(async () => {
    await test.stop();
  });

  it('refuses a scrape without the token, and parses as Prometheus text with the operator families', async () => {
    const { uscc } = await registered(actors);
    // A refused command: the same USCC again.
    const again = await actors.admin.post('/applicants', { uscc, name: 'again', district: 'xihu' });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect((await actors.auditor.get(`/applicants/${uscc}`)).status).toBe(200);
    await test.settled();

    const anonymous = await actors.anonymous.get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('AUTH.METRICS_TOKEN_REQUIRED');
    expect(
      (await actors.anonymous.as('wrong-token-of-the-same-length-0123456789ab').get('/metrics'))
        .status,
    ).toBe(401);

    const scrape = await actors.anonymous.as(METRICS_TOKEN).get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const families = parsePrometheusTextFormat(scrape.body as string) as Family[];
    const byName = new Map(families.map((family) => [family.name, family]));
    // The list, for the CI log.
    process.stdout.write(
      `metric families (${families.length}):\n${families.map((family) => `  ${family.name} ${family.type}`).join('\n')}\n`,
    );

    for (const name of [
      'ledger_process_cpu_seconds_total',
      'ledger_process_resident_memory_bytes',
      'ledger_nodejs_eventloop_lag_seconds',
      'ledger_nodejs_heap_size_used_bytes',
      'ledger_nodejs_gc_duration_seconds',
      'ledger_http_requests_total',
      'ledger_http_request_duration_seconds',
      'ledger_commands_total',
      'ledger_events_appended_total',
      'ledger_event_store_append_duration_seconds',
      'ledger_event_store_append_batch_size',
      'ledger_event_store_head_position',
      'ledger_projection_checkpoint_position',
      'ledger_projection_lag_events',
      'ledger_projection_lag_seconds',
    ]) {
      expect(byName.has(name) ? name : `missing ${name}`).toBe(name);
    }

    // Latency by route template and status class: never the raw path (the USCC would make one series per
    // applicant). The parser folds a histogram's series into one, so its labels are read from the text.
    expect((byName.get('ledger_http_request_duration_seconds') as Family).type).toBe('HISTOGRAM');
    const text = scrape.body as string;
    expect(text).toMatch(
      /^ledger_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/applicants",status_class="2xx"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^ledger_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/applicants\/:uscc",status_class="2xx"\} [1-9]/m,
    );
    expect(text).not.toContain(uscc);

    const commands = (byName.get('ledger_commands_total') as Family).metrics;
    expect(commands).toContainEqual(
      expect.objectContaining({
        labels: { command: 'RegisterApplicantCommand', outcome: 'accepted', code: 'OK' },
      }),
    );
    expect(commands).toContainEqual(
      expect.objectContaining({
        labels: expect.objectContaining({
          command: 'RegisterApplicantCommand',
          outcome: 'refused',
          code: again.body.error.code,
        }),
      }),
    );

    expect(text).toMatch(
      /^ledger_event_store_append_duration_seconds_count\{outcome="ok"\} [1-9]/m,
    );
    expect(text).toMatch(/^ledger_event_store_append_batch_size_count [1-9]/m);
    // The in-process projector has caught up (settled above): lag 0 events, 0 seconds.
    const lag = (byName.get('ledger_projection_lag_events') as Family).metrics;
    expect(lag).toEqual([
      expect.objectContaining({
        value: '0',
        labels: { read_models: expect.stringMatching(/^generation-\d+$/) },
      }),
    ]);
    expect(
      Number((byName.get('ledger_event_store_head_position') as Family).metrics[0]?.value),
    ).toBeGreaterThanOrEqual(1);

    // The embedded store's WAL, through createApp's instrumented store (docs/operations.md "Metrics"):
    // on SQLite, with the checkpointer thread that the commands above started unless it is inline.
    const walFamilies = [
      'ledger_event_store_wal_frames',
      'ledger_event_store_wal_frames_waiting',
      'ledger_event_store_checkpoints_total',
    ];
    if ((process.env['LEDGER_EVENT_STORE'] || 'sqlite') === 'sqlite') {
      for (const name of walFamilies)
        expect(byName.has(name) ? name : `missing ${name}`).toBe(name);
      expect(
        Number((byName.get('ledger_event_store_wal_frames') as Family).metrics[0]?.value),
      ).toBeGreaterThan(0);
      const up = byName.get('ledger_event_store_checkpointer_up');
      if (process.env['LEDGER_SQLITE_CHECKPOINT'] === 'inline') expect(up).toBeUndefined();
      else expect(up?.metrics).toEqual([expect.objectContaining({ value: '1' })]);
    } else {
      for (const name of [...walFamilies, 'ledger_event_store_checkpointer_up'])
        expect(byName.has(name) ? `exported ${name}` : name).toBe(name);
    }
  });

  it('shows the projection lag and its bound in /health/ready', async () => {
    await test.settled();
    const ready = await actors.anonymous.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.projections).toEqual(
      expect.objectContaining({
        ok: true,
        state: 'caught_up',
        lag: '0',
        lagSeconds: 0,
        maxLagEvents: 10_000,
        error: null,
      }),
    );
    expect(ready.body.store.readStoreReachable).toBe(true);
    expect((await actors.anonymous.get('/health/live')).body).toEqual({ status: 'ok' });
  });
});

describe('metrics on their own port', () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await withEnv({ LEDGER_METRICS_PORT: '0' }, () => startTestServer());
  });
  afterAll(async () => {
    await test.stop();
  });

  it('serves them only there', async () => {
    const actors = await actorsOf(test);
    expect((await actors.anonymous.get('/metrics')).status).toBe(404);
    const port = test.server.metricsPort;
    expect(port).toEqual(expect.any(Number));
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    const families = parsePrometheusTextFormat(await response.text()) as Family[];
    expect(families.map((family) => family.name)).toEqual(
      expect.arrayContaining(['ledger_http_requests_total', 'ledger_nodejs_eventloop_lag_seconds']),
    );
  });
});
