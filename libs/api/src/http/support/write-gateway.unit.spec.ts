import type { JsonObject } from '@hz/event-store';
import type { LedgerWriteResult } from './ledger-port';
import { presentOnce } from './write-gateway';

const executed = (result: object, position: bigint): LedgerWriteResult =>
  ({ events: [], position, replayed: false, result }) as unknown as LedgerWriteResult;

describe('presentOnce', () => {
  it('builds the body of one result at one position once: the record and the response share it', () => {
    const calls: bigint[] = [];
    const present = presentOnce((outcome): JsonObject => {
      calls.push(outcome.position);
      return { position: outcome.position.toString() };
    });
    const result = { kind: 'applicant' };
    const recorded = present(executed(result, 7n));
    // execute() returns a new object holding the same result and position as the one recorded.
    expect(present(executed(result, 7n))).toBe(recorded);
    expect(calls).toEqual([7n]);
  });

  it('builds afresh for another result or another position (a retried append)', () => {
    const calls: bigint[] = [];
    const present = presentOnce((outcome): JsonObject => {
      calls.push(outcome.position);
      return { position: outcome.position.toString() };
    });
    const first = { kind: 'applicant' };
    present(executed(first, 7n));
    expect(present(executed(first, 9n))).toEqual({ position: '9' });
    expect(present(executed({ kind: 'applicant' }, 9n))).toEqual({ position: '9' });
    expect(calls).toEqual([7n, 9n, 9n]);
  });
});
