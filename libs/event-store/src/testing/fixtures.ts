/**
 * Deterministic building blocks for event-store tests: a settable clock, UUID-shaped ids derived from a
 * seed (EventStoreDB insists on UUIDs), and events that look like the ledger's.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, JsonObject, NewEvent } from '../port';

export const FIXED_INSTANT = '2024-03-01T08:00:00.000Z';

/** A clock that says what it is told: recordedAt becomes an exact, assertable value. */
export class FixedClock implements Clock {
  private instant: Date;

  constructor(iso: string = FIXED_INSTANT) {
    this.instant = new Date(iso);
  }

  now(): Date {
    return new Date(this.instant.getTime());
  }

  set(iso: string): void {
    const next = new Date(iso);
    if (Number.isNaN(next.getTime())) throw new RangeError(`not an instant: ${iso}`);
    this.instant = next;
  }
}

/** A UUID (version 5 layout) derived from `seed`: stable across runs, distinct for distinct seeds. */
export function deterministicUuid(seed: string): string {
  const hex = createHash('sha256').update(seed, 'utf8').digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Hands out stream ids unique within a run; `namespace` keeps runs apart on a shared store. */
export class StreamNames {
  private counter = 0;

  constructor(private readonly namespace: string) {}

  next(prefix = 'applicant'): string {
    this.counter += 1;
    return `${prefix}-${this.namespace}${String(this.counter).padStart(4, '0')}`;
  }
}

export interface TestEventOptions {
  readonly type?: string;
  readonly data?: JsonObject;
  readonly occurredAt?: string;
}

/** A ledger-like event whose id derives from `seed`, as production ids derive from the idempotency key. */
export function testEvent(seed: string, options: TestEventOptions = {}): NewEvent {
  return {
    id: deterministicUuid(seed),
    type: options.type ?? 'ClaimSubmitted',
    data: options.data ?? {
      claimId: seed,
      requestedAmount: '1250.00',
      programCode: 'P-01',
      note: '杭州 "quoted" \\ café',
    },
    metadata: {
      actor: 'user-7',
      role: 'applicant',
      correlationId: `corr-${seed}`,
      causationId: `cause-${seed}`,
      idempotencyKey: `key-${seed}`,
      occurredAt: options.occurredAt ?? '2024-02-29T23:59:59.000Z',
    },
  };
}

/** `count` events seeded `${seed}-0` … `${seed}-(count-1)`. */
export function testEvents(seed: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => testEvent(`${seed}-${index}`));
}

/** A small seeded PRNG (mulberry32): "random" kill points and batch sizes that replay identically. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Store files for one spec: `next()` names a new file in a temporary directory that `remove()` deletes. */
export function scratchFiles(prefix: string): { next(): string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  let counter = 0;
  return {
    next: () => {
      counter += 1;
      return join(directory, `store-${counter}.db`);
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** An event of about two SQLite pages, so every commit of one adds a few frames to the WAL. */
export function walFillingEvent(seed: string): NewEvent {
  return testEvent(seed, { data: { claimId: seed, note: 'x'.repeat(6000) } });
}
