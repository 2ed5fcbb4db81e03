import Database from 'better-sqlite3';
import fc from 'fast-check';
import { LEDGER_EVENT_TYPES } from '@hz/ledger';
import { READ_MODELS } from '../model/registry';
import { partitionOf, partitionSql, PROJECTED_EVENT_TYPES } from './log-partition';

describe('log partitions (parallel rebuild, issue 13)', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());

  it('computes the same partition inside SQLite as in JavaScript, for any stream id', () => {
    const uscc = fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
    const streamId = fc.oneof(
      uscc.map((id) => `applicant-${id}`),
      fc.string({ minLength: 0, maxLength: 30 }),
      fc.constantFrom('applicant-', 'allocation-plan-1', 'payment-ref-R1', 'period-2024-03'),
    );
    fc.assert(
      fc.property(streamId, fc.integer({ min: 1, max: 16 }), (stream, workers) => {
        const inSql = db
          .prepare(`SELECT ${partitionSql(workers)} AS p FROM (SELECT ? AS stream_id)`)
          .pluck()
          .get(stream);
        expect(inSql).toBe(partitionOf(stream, workers));
        expect(partitionOf(stream, workers)).toBeLessThan(workers);
      }),
      { numRuns: 500 },
    );
  });

  it('sends every stream that is not an applicant stream to partition 0', () => {
    expect(partitionOf('allocation-plan-7', 4)).toBe(0);
    expect(partitionOf('payment-ref-X', 3)).toBe(0);
  });

  it('refuses worker counts outside 1..16', () => {
    expect(() => partitionSql(0)).toThrow(RangeError);
    expect(() => partitionOf('applicant-x', 17)).toThrow(RangeError);
  });

  it('lists as projected exactly the known types that some read model handles', () => {
    // The models' canHandle reads only the type for every type but the claim ones (claimIdOf reads the
    // data's claimId): a claim event with a claim id stands for its type.
    const handled = LEDGER_EVENT_TYPES.filter((type) =>
      READ_MODELS.some((model) =>
        model.canHandle({ type, data: { claimId: 'c', uscc: 'u' } } as never),
      ),
    );
    expect([...PROJECTED_EVENT_TYPES].sort()).toEqual([...handled].sort());
    expect(PROJECTED_EVENT_TYPES).not.toContain('ReferenceReserved');
  });
});
