/**
 * Verify and export as jobs over real HTTP (issue 13, docs/operations.md "Jobs"): a demo ledger of a few
 * thousand events, served by the real ledger-api; the job is started, watched while it runs (events
 * done/total, rate, ETA), survives its client hanging up, and its download is the CLI's export of the same
 * ledger. Cell-equal, not byte-equal: the workbook stamps its generation time (summary line and the xlsx
 * properties) and the zip entries their dates, so two runs a second apart differ in those bytes only;
 * every other cell of every sheet is compared. A stop mid-job fails the job JOB.INTERRUPTED, and one
 * job more than LEDGER_JOBS_MAX_CONCURRENT is refused 503 with Retry-After.
 */
import ExcelJS from 'exceljs';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The CLI's own in-process runner: the reference the download is compared with (apps are not libraries).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { demoLedgerTemplate, runLedger } from '../../apps/ledger-cli/src/testing/cli-harness';
import { Client, type Reply } from './support/client';
import { startTestServer, type TestServer } from './support/server';

jest.setTimeout(300_000);

const AS_OF = '2025-06-30';
const EXPORT_QUERY = `/audit/export-jobs?format=xlsx&asOf=${AS_OF}&byFunder=true`;

let template: { readonly dir: string; copy(): string };
const dirs: string[] = [];

/**
 * A server on its own copy of the demo ledger (LEDGER_DATA_DIR is read by startTestServer). The ledger is
 * the SQLite file `ledger demo` wrote, so the stores are pinned to SQLite here, also when the suite runs as
 * e2e-postgres (whose environment names PostgreSQL stores, which would start empty): the jobs read through
 * the same event-store port on either store.
 */
async function serve(dataDir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const before = process.env['LEDGER_DATA_DIR'];
  process.env['LEDGER_DATA_DIR'] = dataDir;
  try {
    return await startTestServer({
      env: { LEDGER_EVENT_STORE: 'sqlite', LEDGER_READ_STORE: 'sqlite', ...env },
    });
  } finally {
    if (before === undefined) delete process.env['LEDGER_DATA_DIR'];
    else process.env['LEDGER_DATA_DIR'] = before;
  }
}

function ledgerCopy(): string {
  const dir = template.copy();
  dirs.push(dir);
  return dir;
}

async function auditor(test: TestServer): Promise<Client> {
  return new Client(test.api, await test.token('alice-auditor', ['auditor']));
}

/** Polls the job until `until` holds; every state seen, in order, is kept. */
async function watch(
  client: Client,
  location: string,
  until: (job: Reply['body']) => boolean,
  seen: Array<Reply['body']> = [],
): Promise<Reply['body']> {
  for (let tries = 0; tries < 6000; tries += 1) {
    const reply = await client.get(location);
    expect(reply.status).toBe(200);
    seen.push(reply.body);
    if (until(reply.body)) return reply.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`job ${location} never reached the state wanted: ${JSON.stringify(seen.at(-1))}`);
}

const finished = (job: Reply['body']): boolean =>
  job.state === 'succeeded' || job.state === 'failed';

/** Path under the API prefix of a Location header (`/api/v1/audit/jobs/<id>`). */
function pathOf(location: string | null): string {
  expect(location).toMatch(/^\/api\/v1\/audit\/jobs\/[0-9a-f-]{36}$/);
  return (location as string).slice('/api/v1'.length);
}

/** Every cell of every sheet as text, the generation stamp (a line with 北京时间) left out. */
async function cellsOf(xlsx: Buffer): Promise<Map<string, string[]>> {
  const book = new ExcelJS.Workbook();
  // exceljs declares its own Buffer type; the bytes are the same.
  await book.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const sheets = new Map<string, string[]>();
  book.eachSheet((sheet) => {
    const rows: string[] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      const text = JSON.stringify(row.values);
      rows.push(text.includes('北京时间') ? `${number}: <generated at>` : `${number}: ${text}`);
    });
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

beforeAll(async () => {
  template = await demoLedgerTemplate(120);
});

afterAll(() => {
  for (const dir of [...dirs, template.dir]) rmSync(dir, { recursive: true, force: true });
});

describe('audit jobs: start, progress, disconnect, completion and download', () => {
  let test: TestServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = ledgerCopy();
    test = await serve(dataDir);
    await test.settled();
  });
  afterAll(() => test.stop());

  it('given an export job whose client hangs up after the 202, then it runs on (progress with rate and ETA) and its download is cell-equal to `ledger export`', async () => {
    const token = await test.token('alice-auditor', ['auditor']);
    // The client goes away as soon as the response head arrives, before reading the body.
    const location = await new Promise<string | null>((resolve, reject) => {
      const started = request(`${test.api}${EXPORT_QUERY}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      started.on('response', (response) => {
        expect(response.statusCode).toBe(202);
        resolve(response.headers.location ?? null);
        response.destroy();
        started.destroy();
      });
      started.on('error', reject);
      started.end();
    });
    const client = await auditor(test);
    const seen: Array<Reply['body']> = [];
    const job = await watch(client, pathOf(location), finished, seen);

    expect(job).toMatchObject({
      kind: 'export',
      state: 'succeeded',
      error: null,
      startedBy: 'alice-auditor',
    });
    expect(job.parameters).toEqual({
      asOf: '2025-06-30T15:59:59.999Z',
      format: 'xlsx',
      byFunder: 'true',
    });
    const events = await test.eventCount();
    // The export reads the log once (facts ride the replay, 340f878): total is the events.
    expect(job.progress.total).toBe(events);
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.result.fileName).toBe(`ledger-export-2025-06-30.xlsx`);
    const running = seen.filter(
      (step) =>
        step.state === 'running' &&
        step.progress.done > 0 &&
        step.progress.done < step.progress.total,
    );
    expect(running.length).toBeGreaterThan(0);
    for (const step of running) {
      expect(step.progress.ratePerSecond).toBeGreaterThan(0);
      expect(step.progress.etaSeconds).toBeGreaterThanOrEqual(0);
    }
    const done = seen.map((step) => step.progress.done as number);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const download = await fetch(`${test.api}${pathOf(location)}/result`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = Buffer.from(await download.arrayBuffer());

    const out = join(mkdtempSync(join(tmpdir(), 'hz-jobs-cli-')), 'ledger.xlsx');
    dirs.push(join(out, '..'));
    const cli = await runLedger(dataDir, [
      'export',
      '--as-of',
      AS_OF,
      '--format',
      'xlsx',
      '--by-funder',
      '--out',
      out,
    ]);
    expect(cli.code).toBe(0);
    const [http, reference] = await Promise.all([cellsOf(bytes), cellsOf(readFileSync(out))]);
    expect([...http.keys()]).toEqual([...reference.keys()]);
    expect(http.size).toBeGreaterThan(5);
    for (const [name, rows] of reference) {
      expect(rows.length).toBeGreaterThan(1);
      expect({ sheet: name, rows: http.get(name) }).toEqual({ sheet: name, rows });
    }
    // The record and the result are readable by the service's user only.
    const record = join(dataDir, 'jobs', `${job.id}.json`);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'jobs', `${job.id}.result`)).mode & 0o777).toBe(0o600);
  });

  it('given a verify job, then its result is the report `ledger verify --json` gives on the same ledger', async () => {
    const client = await auditor(test);
    const started = await client.post('/audit/verify-jobs');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'verify', state: 'queued' });
    const location = pathOf(started.headers.get('location'));
    expect(location).toBe(`/audit/jobs/${started.body.id}`);
    const job = await watch(client, location, finished);
    expect(job.state).toBe('succeeded');
    expect(job.progress.total).toBe(await test.eventCount());

    const result = await client.get(`${location}/result`);
    expect(result.status).toBe(200);
    const cli = await runLedger(test.dataDir, ['verify', '--json']);
    const reference = JSON.parse(cli.stdout);
    expect(result.body.ok).toBe(true);
    expect(reference.ok).toBe(true);
    expect(result.body.headPosition).toBe(reference.headPosition);
    expect(result.body.eventCount).toBe(reference.eventCount);
    expect(Object.keys(result.body.checks)).toEqual(Object.keys(reference.checks));
    for (const [check, state] of Object.entries(reference.checks))
      expect(result.body.checks[check].violations).toBe(
        (state as { violations: number }).violations,
      );
  });

  it('given a job not finished or unknown, then its result is refused with a stable code and the list shows every job', async () => {
    const client = await auditor(test);
    expect(
      (await client.get('/audit/jobs/00000000-0000-4000-8000-000000000000')).body.error.code,
    ).toBe('JOB.NOT_FOUND');
    const started = await client.post(EXPORT_QUERY);
    const early = await client.get(`/audit/jobs/${started.body.id}/result`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('JOB.NOT_FINISHED');
    await watch(client, `/audit/jobs/${started.body.id}`, finished);
    const list = await client.get('/audit/jobs');
    expect(list.status).toBe(200);
    expect(list.body.map((job: { id: string }) => job.id)).toContain(started.body.id);
    expect(list.body.length).toBe(3);
  });

  it('given a bad query or a caller who is not an auditor, then nothing is started', async () => {
    const client = await auditor(test);
    const before = (await client.get('/audit/jobs')).body.length;
    const bad = await client.post('/audit/export-jobs?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('AUDIT.FORMAT_INVALID');
    const reviewer = new Client(test.api, await test.token('rita-reviewer', ['reviewer']));
    expect((await reviewer.post('/audit/verify-jobs')).status).toBe(403);
    expect((await reviewer.get('/audit/jobs')).status).toBe(403);
    expect((await client.get('/audit/jobs')).body.length).toBe(before);
  });
});

describe('audit jobs: the concurrency limit and a restart mid-job', () => {
  it('given LEDGER_JOBS_MAX_CONCURRENT=1 and a job running, then one more is 503 AUDIT.JOBS_BUSY with Retry-After; a stop mid-job leaves it failed JOB.INTERRUPTED after the restart', async () => {
    const dataDir = ledgerCopy();
    let test = await serve(dataDir, { LEDGER_JOBS_MAX_CONCURRENT: '1' });
    let client = await auditor(test);
    const first = await client.post(EXPORT_QUERY);
    expect(first.status).toBe(202);
    const busy = await client.post('/audit/verify-jobs');
    expect(busy.status).toBe(503);
    expect(busy.body.error.code).toBe('AUDIT.JOBS_BUSY');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await client.get('/audit/jobs')).body.length).toBe(1);

    const location = `/audit/jobs/${first.body.id}`;
    const midway = await watch(client, location, (job) => job.progress.done > 0 || finished(job));
    expect(midway.state).toBe('running');
    await test.stop();

    test = await serve(dataDir, { LEDGER_JOBS_MAX_CONCURRENT: '1' });
    try {
      client = await auditor(test);
      const after = await client.get(location);
      expect(after.body).toMatchObject({
        state: 'failed',
        error: { code: 'JOB.INTERRUPTED' },
      });
      expect(after.body.result).toBeNull();
      expect(existsSync(join(dataDir, 'jobs', `${first.body.id}.result`))).toBe(false);
      const result = await client.get(`${location}/result`);
      expect(result.status).toBe(409);
      expect(result.body.error.code).toBe('JOB.FAILED');
      // The slot is free again: the same export runs to the end.
      const again = await client.post(EXPORT_QUERY);
      expect(again.status).toBe(202);
      expect((await watch(client, `/audit/jobs/${again.body.id}`, finished)).state).toBe(
        'succeeded',
      );
    } finally {
      await test.stop();
    }
  });
});
