/**
 * Invariant 1 under contention: concurrent approvals on claims of one applicant whose amounts add up to
 * far more than the annual cap. Whatever interleaving happens, the grants never exceed the cap, and every
 * outcome is a success, a version conflict given up on, or a rule refusal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyStreamChain } from '@hz/event-store';
import { applicantStreamId } from '@hz/ledger';
import { Money } from '@hz/money';
import {
  APPLICANT,
  approve,
  openHarness,
  register,
  submitPlatform,
  type Harness,
} from './testing/harness';

const CAP = Money.parse('1000000.00');
const CLAIMS = 32;
const ALLOWED = new Set([
  'ok',
  'CONCURRENCY.CONFLICT',
  'CLAIM.EXCEEDS_CEILING',
  'POLICY.CAP_EXHAUSTED',
]);
/** 60,000.00 .. 100,000.00: 32 of them add up to 2,560,000.00, well above the 1,000,000.00 cap. */
const amountOf = (index: number) => `${60000 + (index % 5) * 10000}.00`;
const claimIdOf = (index: number) => `${APPLICANT}-${index + 1}`;

let directory: string;
let harness: Harness;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ledger-race-'));
  harness = await openHarness(join(directory, 'ledger.db'));
  await harness.service.execute(register(APPLICANT, 'xiaoshan'));
  for (let index = 0; index < CLAIMS; index += 1)
    await harness.service.execute(submitPlatform(APPLICANT, '100000.00'));
});

afterEach(async () => {
  await harness.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Sum of the approvals in effect, read from the stream itself (not from the service under test). */
async function grantedTotal(): Promise<Money> {
  const views = await Promise.all(
    Array.from({ length: CLAIMS }, (_, index) => harness.service.getClaim(claimIdOf(index))),
  );
  return Money.sum(
    views
      .filter((view) => view.status === 'approved' || view.status === 'pending_countersign')
      .map((view) => Money.parse(view.approval?.amount)),
  );
}

async function fillRemainingRoom(): Promise<void> {
  // Sequentially the cap must fill up exactly: the race lost nothing and granted nothing twice.
  let granted = await grantedTotal();
  for (let index = 0; index < CLAIMS; index += 1) {
    const view = await harness.service.getClaim(claimIdOf(index));
    const ceiling = Money.min(Money.parse(amountOf(index)), CAP.minus(granted));
    if (view.status !== 'submitted' || !ceiling.isPositive()) continue;
    await harness.service.execute(approve(view.claimId, ceiling.toString()));
    granted = granted.plus(ceiling);
  }
  expect((await grantedTotal()).toString()).toBe(CAP.toString());
}

describe('Invariant 1: caps', () => {
  it('keeps 32 concurrent approvals in one process under the annual cap', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: CLAIMS }, (_, index) =>
        harness.service
          .execute(approve(claimIdOf(index), amountOf(index), `reviewer-${index}`))
          .then(
            () => 'ok',
            (error: { code?: string }) => error.code ?? String(error),
          ),
      ),
    );
    expect(outcomes.filter((outcome) => !ALLOWED.has(outcome))).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThan(0);
    const granted = await grantedTotal();
    expect(granted.lessThanOrEqual(CAP)).toBe(true);
    await fillRemainingRoom();
  });
});

describe('Invariant 1: caps', () => {
  it('keeps approvals from 4 processes racing on one SQLite file under the annual cap', async () => {
    const child = resolve(__dirname, 'testing/approve-race.child.ts');
    const startAt = Date.now() + 3000;
    const runs = Array.from({ length: 4 }, (_, worker) => {
      const approvals = Array.from(
        { length: CLAIMS / 4 },
        (_, offset) => worker * (CLAIMS / 4) + offset,
      ).map((index) => ({ claimId: claimIdOf(index), amount: amountOf(index) }));
      const input = JSON.stringify({
        file: join(directory, 'ledger.db'),
        startAt,
        reviewer: `reviewer-${worker}`,
        approvals,
      });
      return runChild(child, input);
    });
    const outcomes = (await Promise.all(runs)).flat();
    expect(outcomes).toHaveLength(CLAIMS);
    expect(outcomes.filter((entry) => !ALLOWED.has(entry.outcome))).toEqual([]);
    expect(outcomes.some((entry) => entry.outcome === 'ok')).toBe(true);
    expect((await grantedTotal()).lessThanOrEqual(CAP)).toBe(true);
    expect(verifyStreamChain(await harness.store.readStream(applicantStreamId(APPLICANT)))).toEqual(
      [],
    );
    await fillRemainingRoom();
  }, 60_000);
});

function runChild(
  script: string,
  input: string,
): Promise<Array<{ claimId: string; outcome: string }>> {
  return new Promise((resolvePromise, reject) => {
    const workspace = resolve(__dirname, '../../..');
    const process = spawn(
      globalThis.process.execPath,
      ['-r', '@swc-node/register', script, input],
      { cwd: workspace },
    );
    let stdout = '';
    let stderr = '';
    process.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    process.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    process.once('error', reject);
    process.once('close', (code) => {
      if (code !== 0) return reject(new Error(`child exited ${String(code)}: ${stderr}`));
      resolvePromise(JSON.parse(stdout.trim()) as Array<{ claimId: string; outcome: string }>);
    });
  });
}
