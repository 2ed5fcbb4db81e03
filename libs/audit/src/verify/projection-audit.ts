/**
 * Invariant 6: the live read models equal a fresh replay of the log. The replay runs up to the live
 * store's own checkpoint (a projector a few events behind is not a violation), then every model is read
 * back through the ReadStore port from both and compared row by row as canonical JSON.
 */
import type { EventStore } from '@hz/event-store';
import type { ReadStoreReader } from '@hz/projections';
import type { Finding } from '../invariants/findings';
import { allClaims } from '../replay/read-model-summary';
import { replayIntoScratch } from '../replay/scratch-replay';
import type { LogAudit } from './verify-ledger';

/** A model that differs usually differs in many rows; the first few tell the story. */
const DIFFERENCES_MAX = 20;

export function projectionRebuildAudit(eventStore: EventStore, live: ReadStoreReader): LogAudit {
  return {
    name: 'projection-rebuild',
    visit: () => undefined,
    findings: () => compareWithFreshReplay(eventStore, live),
  };
}

/** A projector running beside the audit moves the live rows while they are read; try again when it did. */
const ATTEMPTS_MAX = 3;

async function compareWithFreshReplay(
  eventStore: EventStore,
  live: ReadStoreReader,
): Promise<Finding[]> {
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
  live: ReadStoreReader,
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

async function compareModels(
  live: ReadStoreReader,
  fresh: ReadStoreReader,
  differences: Differences,
): Promise<void> {
  const liveClaims = allClaims(live);
  const freshClaims = allClaims(fresh);
  const applicants = new Set<string>();
  for (let index = 0; !differences.full; index += 1) {
    const [a, b] = await Promise.all([liveClaims.next(), freshClaims.next()]);
    if (a.done && b.done) break;
    const key = a.done ? (b.value as { claimId: string }).claimId : a.value.claimId;
    differences.compare(`claim ${key}`, a.done ? null : a.value, b.done ? null : b.value);
    if (!a.done) applicants.add(a.value.applicant);
    if (!a.done)
      differences.compare(
        `history of ${key}`,
        await live.claimHistory(a.value.claimId),
        await fresh.claimHistory(a.value.claimId),
      );
  }
  differences.compare(
    'fiscal buckets',
    await live.fiscalBuckets({}),
    await fresh.fiscalBuckets({}),
  );
  differences.compare(
    'one-time awards',
    await live.oneTimeAwards({}),
    await fresh.oneTimeAwards({}),
  );
  for (const applicant of applicants) {
    if (differences.full) break;
    differences.compare(
      `caps of ${applicant}`,
      await live.caps(applicant),
      await fresh.caps(applicant),
    );
  }
}

class Differences {
  readonly findings: Finding[] = [];

  constructor(private readonly position: bigint) {}

  get full(): boolean {
    return this.findings.length >= DIFFERENCES_MAX;
  }

  compare(what: string, live: unknown, fresh: unknown): void {
    const liveJson = canonical(live);
    const freshJson = canonical(fresh);
    if (liveJson !== freshJson)
      this.add(what, `live ${clip(liveJson)} ≠ replayed ${clip(freshJson)}`);
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

/** JSON with sorted keys and bigints as strings: "byte for byte" means the same canonical text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return item.toString();
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      return Object.fromEntries(
        Object.entries(item as Record<string, unknown>).sort(([a], [b]) =>
          a < b ? -1 : a > b ? 1 : 0,
        ),
      );
    }
    return item;
  });
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
