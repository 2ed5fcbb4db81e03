/** `ledger replay`: rebuild every read model from the log into a scratch store and summarise it. */
import { formatReadModelSummary, replayIntoScratch, summarizeReadModels } from '@hz/audit';
import { REBUILD_WORKERS_MAX } from '@hz/projections';
import {
  EXIT_OK,
  integerOption,
  replayWorkersDefault,
  timeOption,
  type CommandSpec,
} from '../cli-frame';
import { progressReporter } from '../progress';
import { withLedger } from './with-ledger';

export const replayCommand: CommandSpec = {
  name: 'replay',
  summary: 'rebuild every read model from the log into a scratch store and print a summary',
  help: `Usage: ledger replay [--as-of <time>] [--until-position <n>] [--workers <n>] [--json] [--progress]

Replays the log with the projections' own runner into a throwaway store (the live read store is never
touched) and prints claims by status, per funder committed, disbursed and outstanding, and the caps in use.

Options:
  --as-of <time>          stop at what the ledger had recorded by then (ledger time; ISO-8601,
                          a bare date means the end of that day in Hangzhou, UTC+8)
  --until-position <n>    stop after the event at this global position
  --workers <n>           worker threads, 1 to 16 (default: the machine's cores, at most 2, which
                          stay within the jobs' 256 MB memory bound); the replay reads the log
                          stream by stream, partitioned by applicant stream across the workers
                          (same read models either way); with 1 it runs on the job's own thread.
                          More workers: less wall time, about the same CPU, and more memory (each
                          thread has a heap of its own)
  --json                  print the summary as JSON
  --progress              show a progress bar on stderr even when it is not a terminal`,
  options: {
    'as-of': { type: 'string' },
    'until-position': { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean' },
    progress: { type: 'boolean' },
  },
  async run(values, io) {
    const asOf = timeOption(values, 'as-of');
    const untilPosition = integerOption(values, 'until-position', {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    });
    const workers =
      integerOption(values, 'workers', { min: 1, max: REBUILD_WORKERS_MAX }) ??
      replayWorkersDefault();
    const progress = progressReporter(io, 'replay', values['progress'] === true);
    const output = await withLedger(io, { create: false }, async (context) => {
      const head = await context.eventStore.headPosition();
      const total =
        untilPosition !== undefined && BigInt(untilPosition) < head ? BigInt(untilPosition) : head;
      const replay = await replayIntoScratch(context.eventStore, {
        untilPosition: untilPosition === undefined ? undefined : BigInt(untilPosition),
        asOfMs: asOf?.getTime(),
        workers,
        onProgress: (position, events) => progress.update(position, total, events),
        onEventsDone: (events, all) => progress.update(BigInt(events), BigInt(all), events),
      });
      try {
        progress.finish();
        const summary = await summarizeReadModels(replay.readStore);
        const facts = {
          position: replay.position.toString(),
          events: replay.events,
          durationMs: replay.durationMs,
          asOf: asOf?.toISOString() ?? null,
        };
        if (values['json'] === true)
          return `${JSON.stringify({ ...facts, ...summary }, null, 2)}\n`;
        const header = `Replayed ${replay.events} events up to position ${replay.position} in ${replay.durationMs} ms${asOf ? ` (as of ${asOf.toISOString()})` : ''}\n\n`;
        return header + formatReadModelSummary(summary);
      } finally {
        await replay.dispose();
      }
    });
    io.stdout.write(output);
    return EXIT_OK;
  },
};
