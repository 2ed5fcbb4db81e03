/**
 * How the demo sends a command: through the real LedgerService, with the demo clock's `now` and an
 * idempotency key derived from the seed and the step, so re-running a seed appends nothing new. Business
 * refusals are counted, not fatal: a realistic history has some.
 */
import { DomainError, type LedgerCommand, type Role } from '@hz/ledger';
import type { DemoClock } from './demo-clock';

/** The slice of LedgerService the demo uses (structural, so tests can pass the real one). */
export interface CommandExecutor {
  execute(command: LedgerCommand): Promise<{ readonly position: bigint; readonly result: unknown }>;
}

export interface Actor {
  readonly actor: string;
  readonly role: Role;
  readonly applicant?: string;
}

export type CommandBody = LedgerCommand extends infer C
  ? C extends LedgerCommand
    ? Omit<C, 'metadata'>
    : never
  : never;

export interface DemoStats {
  commands: number;
  refused: Map<string, number>;
  lastPosition: bigint;
}

export class DemoContext {
  readonly stats: DemoStats = { commands: 0, refused: new Map(), lastPosition: 0n };

  constructor(
    private readonly executor: CommandExecutor,
    readonly clock: DemoClock,
    readonly seed: number,
  ) {}

  /** Executes one command; returns the service's result, or a DomainError when the ledger refused it. */
  async send(
    body: CommandBody,
    who: Actor,
    step: string,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: DomainError }> {
    const key = `demo-${this.seed}-${step}`;
    const metadata = {
      ...who,
      now: this.clock.tick(),
      idempotencyKey: key,
      correlationId: key,
      causationId: key,
    };
    this.stats.commands += 1;
    try {
      const outcome = await this.executor.execute({ ...body, metadata } as LedgerCommand);
      if (outcome.position > this.stats.lastPosition) this.stats.lastPosition = outcome.position;
      return { ok: true, result: outcome.result };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.stats.refused.set(error.code, (this.stats.refused.get(error.code) ?? 0) + 1);
      return { ok: false, error };
    }
  }
}
