/**
 * The job registry on its own files (docs/operations.md "Jobs"): a record left queued or running by a
 * process that died is failed JOB.INTERRUPTED when the next one starts; a finished one stays as it was.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobRegistry, JobsBusyError, type JobRecord } from './job-registry';

describe('JobRegistry', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'hz-jobs-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const settle = async (registry: JobRegistry, id: string): Promise<JobRecord> => {
    for (let tries = 0; tries < 500; tries += 1) {
      const job = registry.get(id);
      if (job?.state === 'succeeded' || job?.state === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`job ${id} did not finish`);
  };

  it('given a record left running by a process that died, when the next registry starts, then it is failed JOB.INTERRUPTED and a finished one is untouched', async () => {
    const first = new JobRegistry({ directory, maxConcurrent: 2 });
    const done = first.start('export', 'alice', {}, async () => ({
      contentType: 'text/plain',
      fileName: 'x.txt',
      body: 'result',
    }));
    expect((await settle(first, done.id)).state).toBe('succeeded');
    // What a crash leaves: a record still running, no result.
    let release: () => void = () => undefined;
    const hanging = first.start('verify', 'alice', {}, async ({ progress }) => {
      progress(10, 100);
      await new Promise<void>((resolve) => (release = resolve));
      return { contentType: 'text/plain', fileName: 'y.txt', body: 'late' };
    });
    for (let tries = 0; first.get(hanging.id)?.state !== 'running' && tries < 500; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 2));
    const onDisk = JSON.parse(readFileSync(join(directory, `${hanging.id}.json`), 'utf8'));
    expect(onDisk.state).toBe('running');

    const next = new JobRegistry({ directory, maxConcurrent: 2 });
    expect(next.get(hanging.id)).toMatchObject({
      state: 'failed',
      error: { code: 'JOB.INTERRUPTED' },
      result: null,
    });
    expect(next.get(done.id)).toEqual(first.get(done.id));
    expect(next.result(done.id).toString()).toBe('result');
    expect(statSync(join(directory, `${done.id}.result`)).mode & 0o777).toBe(0o600);
    expect(next.list().map((job) => job.id)).toEqual(expect.arrayContaining([done.id, hanging.id]));
    release();
  });

  it("given work that writes its result to the job's result file as it goes, then that file is the result; a failure leaves no file behind", async () => {
    const registry = new JobRegistry({ directory, maxConcurrent: 2 });
    const streamed = registry.start('export', 'alice', {}, async ({ resultFile }) => {
      writeFileSync(resultFile, 'streamed bytes', { mode: 0o600 });
      return { contentType: 'text/plain', fileName: 's.txt' };
    });
    expect(await settle(registry, streamed.id)).toMatchObject({
      state: 'succeeded',
      result: { contentType: 'text/plain', fileName: 's.txt' },
    });
    expect(readFileSync(registry.resultFile(streamed.id), 'utf8')).toBe('streamed bytes');
    const failing = registry.start('export', 'alice', {}, async ({ resultFile }) => {
      writeFileSync(resultFile, 'half a workbook', { mode: 0o600 });
      throw new Error('the ledger went away');
    });
    expect((await settle(registry, failing.id)).state).toBe('failed');
    expect(readdirSync(directory).sort()).toEqual(
      [`${failing.id}.json`, `${streamed.id}.json`, `${streamed.id}.result`].sort(),
    );
  });

  it('given as many jobs running as allowed, when one more starts, then it is refused and nothing is recorded; a stop fails the running ones', async () => {
    const registry = new JobRegistry({ directory, maxConcurrent: 1 });
    const running = registry.start('export', 'alice', {}, () => new Promise(() => undefined));
    expect(() =>
      registry.start('verify', 'alice', {}, async () => ({
        contentType: 'text/plain',
        fileName: 'z.txt',
        body: '',
      })),
    ).toThrow(JobsBusyError);
    expect(registry.list().map((job) => job.id)).toEqual([running.id]);
    await registry.close();
    expect(registry.get(running.id)).toMatchObject({
      state: 'failed',
      error: { code: 'JOB.INTERRUPTED' },
    });
  });

  it('given work that refuses with a stable code, then the failed job carries that code', async () => {
    const registry = new JobRegistry({ directory, maxConcurrent: 1 });
    const job = registry.start('export', 'alice', {}, async () => {
      throw Object.assign(new Error('no such funder'), { code: 'AUDIT.SHEET_NOT_FOUND' });
    });
    expect(await settle(registry, job.id)).toMatchObject({
      state: 'failed',
      error: { code: 'AUDIT.SHEET_NOT_FOUND', message: 'no such funder' },
    });
  });
});
