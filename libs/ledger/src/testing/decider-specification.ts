/**
 * Given / when / then for deciders (after Emmett's DeciderSpecification): given past events, when a
 * command, then the new events, or a DomainError with a stable code. No mocks: the real policy engine.
 */
import type { Decider } from '../decider';
import { DomainError, type DomainErrorCode } from '../errors';

export interface ThenClause<TEvent> {
  /** Exactly these events (deep equality). */
  then(expected: readonly TEvent[]): void;
  /** Events matching these partial shapes, in order and in number (extra fields allowed). */
  thenMatches(expected: readonly unknown[]): readonly TEvent[];
  /** No new events: an idempotent no-op. */
  thenNothing(): void;
  /** Refused with `code` (and, if given, details containing `details`); nothing is decided. */
  thenFails(code: DomainErrorCode, details?: Record<string, unknown>): DomainError;
}

export interface DeciderSpecification<TCommand, TEvent> {
  given(events: readonly TEvent[]): { when(command: TCommand): ThenClause<TEvent> };
}

export function deciderSpecification<TCommand, TState, TEvent, TContext>(
  decider: Decider<TCommand, TState, TEvent, TContext>,
  context: TContext,
): DeciderSpecification<TCommand, TEvent> {
  return {
    given: (events) => ({
      when: (command) => {
        const run = () =>
          decider.decide(command, events.reduce(decider.evolve, decider.initialState()), context);
        return {
          then: (expected) => expect(run()).toEqual(expected),
          thenMatches: (expected) => {
            const decided = run();
            expect(decided).toHaveLength(expected.length);
            expect(decided).toMatchObject(expected as unknown[]);
            return decided;
          },
          thenNothing: () => expect(run()).toEqual([]),
          thenFails: (code, details) => {
            let caught: unknown;
            try {
              const decided = run();
              caught = new Error(`expected ${code}, but decided ${JSON.stringify(decided)}`);
            } catch (error) {
              caught = error;
            }
            if (!(caught instanceof DomainError)) throw caught;
            expect(caught.code).toBe(code);
            if (details !== undefined) expect(caught.details).toMatchObject(details);
            return caught;
          },
        };
      },
    }),
  };
}
