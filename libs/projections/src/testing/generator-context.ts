/** Shared plumbing of the generator: the clock, ids, metadata and money formatting. */
import { Money } from '@hz/money';
import type { GeneratedEvent } from './generator-model';
import type { RandomSource } from './random-source';

export const GENERATOR_START_MS = Date.parse('2024-01-01T00:00:00.000Z');

export class GeneratorContext {
  private clockMs: number;
  private recordedMs = 0;
  private sequence = 0;

  constructor(
    readonly random: RandomSource,
    startMs = GENERATOR_START_MS,
    /** Mean seconds between events; the ledger's time span grows with it. */
    private readonly stepSecondsMax = 600,
  ) {
    this.clockMs = startMs;
  }

  tick(): void {
    this.clockMs += 1000 * (1 + this.random.int(this.stepSecondsMax));
  }

  get nowIso(): string {
    return new Date(this.clockMs).toISOString();
  }

  /** A Hangzhou calendar date up to `daysBackMax` days before now (payments are often booked late). */
  dateBack(daysBackMax: number): string {
    const shifted = this.clockMs + 8 * 3_600_000 - this.random.int(daysBackMax + 1) * 86_400_000;
    return new Date(shifted).toISOString().slice(0, 10);
  }

  get supportYear(): number {
    const year = new Date(this.clockMs).getUTCFullYear();
    return Math.min(2026, Math.max(2023, year - this.random.int(2)));
  }

  event(
    streamId: string,
    type: string,
    data: GeneratedEvent['data'],
    actor: string,
    role: string,
    decision = false,
  ): GeneratedEvent {
    this.sequence += 1;
    const key = `gen-${this.sequence}`;
    const occurredAt = this.nowIso;
    // Ledger time trails business time by up to 2 s (the append commits later) and, like a single
    // writer's clock, never goes back.
    this.recordedMs = Math.max(this.recordedMs, this.clockMs + this.random.int(2000));
    const recordedAt = new Date(this.recordedMs).toISOString();
    const metadata = {
      actor,
      role,
      correlationId: key,
      causationId: key,
      idempotencyKey: key,
      occurredAt,
      ...(decision ? { policyId: 'hz-cbec-2023', catalogHash: 'c'.repeat(64) } : {}),
    };
    return { streamId, id: uuidOf(this.sequence), type, data, metadata, recordedAt };
  }

  /** A random amount in fen in [1 yuan, maxYuan], in whole yuan or with fen. */
  amountFen(maxYuan: number): bigint {
    const yuan = BigInt(1 + this.random.int(maxYuan));
    return this.random.int(4) === 0 ? yuan * 100n + BigInt(this.random.int(100)) : yuan * 100n;
  }

  /** A part of `remainingFen` (all of it half the time), at least 1 fen. */
  partOf(remainingFen: bigint): bigint {
    if (remainingFen <= 1n || this.random.int(2) === 0) return remainingFen;
    return (
      1n +
      BigInt(this.random.int(Number(remainingFen < 1_000_000_000n ? remainingFen : 1_000_000_000n)))
    );
  }

  reference(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }
}

export function money(fen: bigint): string {
  return Money.fromFen(fen).toString();
}

function uuidOf(sequence: number): string {
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}
