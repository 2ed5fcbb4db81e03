/**
 * Invariant 6: the live read models equal a fresh replay of the log. The replay runs up to the live
 * store's own checkpoint (a projector a few events behind is not a violation), then every table of every
 * registered read model (libs/projections/src/model/registry.ts) is compared row by row through the
 * stores' canonical dumps (ReadStore.dumpGeneration: key order, one canonical text line per row).
 */
import type { EventStore } from '@hz/event-store';
import type { ReadStore } from '@hz/projections';
import type { Finding } from '../invariants/findings';
import { replayIntoScratch } from '../replay/scratch-replay';
import type { LogAudit } from './verify-ledger';

/** A model that differs usually differs in many rows; the first few tell the story. */
const DIFFERENCES_MAX = 20;

export function projectionRebuildAudit(eventStore: EventStore, live: ReadStore): LogAudit {
  return {
    name: 'projection-rebuild',
    findings: () => compareWithFreshReplay(eventStore, live),
  };
}

/** A projector running beside the audit moves the live rows while they are read; try again when it did. */
const ATTEMPTS_MAX = 3;

async function compareWithFreshReplay(eventStore: EventStore, live: ReadStore): Promise<Finding[]> {
  let findings: Finding[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS_MAX; attempt += 1) {
    const before = await live.activeCheckpoint();
    if (before === null) return [];
    findings = await compareAt(eventStore, live, before.position);
    const after = await live.activeCheckpoint();
    if (findings.length === 0 || after?.position === before.position) return findings;
  }
  return findings.map((finding) => ({
    ...finding,
    message: `${finding.message} (the live store kept moving during the comparison)`,
  }));
}

async function compareAt(
  eventStore: EventStore,
  live: ReadStore,
  position: bigint,
): Promise<Finding[]> {
  const checkpoint = { position };
  const replay = await replayIntoScratch(eventStore, { untilPosition: checkpoint.position });
  try {
    const differences = new Differences(checkpoint.position);
    if (replay.position !== checkpoint.position)
      differences.add(
        'checkpoint',
        `live read models at position ${checkpoint.position}, the log replays to ${replay.position}`,
      );
    await compareModels(live, replay.readStore, differences);
    return differences.findings;
  } finally {
    await replay.dispose();
  }
}

/** Both active generations' dumps, line by line: a row that differs, is missing or is extra is a finding. */
async function compareModels(
  live: ReadStore,
  fresh: ReadStore,
  differences: Differences,
): Promise<void> {
  const [liveActive, freshActive] = await Promise.all([
    live.activeCheckpoint(),
    fresh.activeCheckpoint(),
  ]);
  if (liveActive === null || freshActive === null) return;
  const liveRows = live.dumpGeneration(liveActive.generation)[Symbol.asyncIterator]();
  const freshRows = fresh.dumpGeneration(freshActive.generation)[Symbol.asyncIterator]();
  const rowsPerTable = new Map<string, number>();
  while (!differences.full) {
    const [a, b] = await Promise.all([liveRows.next(), freshRows.next()]);
    if (a.done === true && b.done === true) break;
    const liveLine = a.done === true ? undefined : a.value;
    const freshLine = b.done === true ? undefined : b.value;
    const table = (liveLine ?? freshLine ?? '').split('\t', 1)[0] ?? '';
    const row = rowsPerTable.get(table) ?? 0;
    rowsPerTable.set(table, row + 1);
    if (liveLine !== freshLine)
      differences.add(
        `${table} row ${row}`,
        `live ${clip(liveLine ?? 'none')} ≠ replayed ${clip(freshLine ?? 'none')}`,
      );
  }
}

class Differences {
  readonly findings: Finding[] = [];

  constructor(private readonly position: bigint) {}

  get full(): boolean {
    return this.findings.length >= DIFFERENCES_MAX;
  }

  add(what: string, detail: string): void {
    if (this.full) return;
    this.findings.push({
      check: 'projection-rebuild',
      code: 'PROJECTION.DIFFERS_FROM_REPLAY',
      message: `${what}: ${detail}`,
      position: this.position.toString(),
    });
  }
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
