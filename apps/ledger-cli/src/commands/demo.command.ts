/** `ledger demo`: a deterministic, realistic history through the real command path (LedgerService). */
import { LedgerService } from '@hz/application';
import { ledgerEnvFrom } from '@hz/audit';
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';
import { EXIT_OK, integerOption, stringOption, UsageError, type CommandSpec } from '../cli-frame';
import { demoClockFor, runDemo } from '../demo/demo-runner';
import { demoStreamCacheMax, openDemoStore } from '../demo/demo-store';

export const demoCommand: CommandSpec = {
  name: 'demo',
  summary: 'write a realistic, deterministic history through the real command path',
  help: `Usage: ledger demo [--applicants N] [--years 2023-2025] [--seed S] [--concurrency C] [--fast] [--quiet]

Writes, through LedgerService.execute (every rule and separation of duties enforced), a history of N
applicants spread over every district: claims under every claimable program each support year,
approvals (some trimmed, some rejected, some withdrawn), countersignatures by a second reviewer for
approvals of 500000.00 or more, disbursements by finance officers who did not decide (city and district,
some in two installments, some still outstanding), relocations, integrity flags, revocations with
recoveries, and one allocation plan a year with its disbursements.

Business and ledger time follow a deterministic clock through each policy year; idempotency keys derive
from the seed, so the same seed gives the same ledger and re-running it appends nothing new.
About 54 events per applicant over three years: --applicants 18500 writes about a million.

The embedded SQLite file is written durably (synchronous=FULL, an fsync per commit) unless --fast asks
for synchronous=NORMAL: WAL still never corrupts, but a power cut may lose the last commits; rerun the
same seed and only what is missing is appended. Use it for throwaway and benchmark ledgers.

Options:
  --applicants N   number of applicants (default 200)
  --years A-B      support years (default 2023-2025; within 2023..2026)
  --seed S         seed (default 7)
  --concurrency C  applicants in flight at once (default 64)
  --fast           embedded SQLite with synchronous=NORMAL (not power-cut durable)
  --quiet          no progress lines on stderr`,
  options: {
    applicants: { type: 'string' },
    years: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
    fast: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  async run(values, io) {
    const applicants = integerOption(values, 'applicants', { min: 1, max: 1_000_000 }) ?? 200;
    const seed = integerOption(values, 'seed', { min: 0, max: 2_147_483_647 }) ?? 7;
    const concurrency = integerOption(values, 'concurrency', { min: 1, max: 1024 }) ?? 64;
    const [yearFrom, yearTo] = yearsOption(stringOption(values, 'years') ?? '2023-2025');
    const ledgerEnv = ledgerEnvFrom(io.env, io.cwd);
    const clock = demoClockFor({ yearFrom });
    const store = await openDemoStore(ledgerEnv, clock, { fast: values['fast'] === true });
    const started = Date.now();
    const headBefore = await store.headPosition();
    try {
      const threshold = Money.parse(ledgerEnv.countersignThreshold);
      const streamCacheMax = demoStreamCacheMax(applicants, yearTo - yearFrom + 1);
      const service = new LedgerService({
        store,
        catalog: HZ_CBEC_2023,
        countersignThreshold: threshold,
        clock,
        streamCacheMax,
      });
      const onPhase =
        values['quiet'] === true
          ? undefined
          : (label: string, stats: { commands: number }) =>
              io.stderr.write(`demo: ${label} done, ${stats.commands} commands\n`);
      const summary = await runDemo(service, clock, HZ_CBEC_2023, {
        applicants,
        yearFrom,
        yearTo,
        seed,
        concurrency,
        onPhase,
      });
      const events = (await store.headPosition()) - headBefore;
      const seconds = (Date.now() - started) / 1000;
      io.stdout.write(
        `demo: ${summary.applicants} applicants, ${summary.commands} commands, ${events} new events in ${seconds.toFixed(1)} s ` +
          `(${Math.round(Number(events) / Math.max(seconds, 0.001))} events/s)\n` +
          `refused (expected business refusals): ${JSON.stringify(summary.refused)}\nledger: ${ledgerEnv.dataDir}\n`,
      );
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

function yearsOption(text: string): [number, number] {
  const match = /^(\d{4})(?:-(\d{4}))?$/.exec(text);
  const from = Number(match?.[1]);
  const to = Number(match?.[2] ?? match?.[1]);
  if (!match || from < 2023 || to > 2026 || from > to)
    throw new UsageError(`--years must be YYYY or YYYY-YYYY within 2023..2026, got "${text}"`);
  return [from, to];
}
