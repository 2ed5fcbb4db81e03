/**
 * Verify on threads cuts the streams into ranges of stream ids (issue 13, ./verify-partition.ts): every
 * stream falls in exactly one range, the allocation plans' streams all in one, and the ranges are taken
 * once each, in increasing order by each thread that takes them.
 */
import {
  isAllocationStream,
  RangeClaims,
  rangeBounds,
  type StreamRanges,
} from './verify-partition';

/** The range index of a stream id under `bounds` (range i is [bounds[i - 1], bounds[i])). */
function rangeOf(bounds: readonly string[], streamId: string): number {
  let index = 0;
  while (index < bounds.length && streamId >= (bounds[index] as string)) index += 1;
  return index;
}

const IDS = [
  'aaa',
  'allocation-2024-a',
  'allocation-2024-b',
  'allocation-2025-a',
  'applicant-91330100007UFM92K6',
  'applicant-91330100007UFM92L9',
  'applicant-91330100007UFM95RU',
  'payment-PAY-0001',
  'payment-PAY-0002',
  'period-2024',
  'recovery-REC-0001',
].sort();

describe('rangeBounds', () => {
  it.each([1, 2, 3])(
    'every %i-th sampled id: bounds strictly increasing, the plans in one range of their own',
    (every) => {
      // Samples as SQLite returns them: sorted, a stream sampled as often as it has events sampled.
      const samples = IDS.flatMap((id) => [id, id, id]);
      const bounds = rangeBounds(samples, every);
      for (let index = 1; index < bounds.length; index += 1)
        expect((bounds[index - 1] as string) < (bounds[index] as string)).toBe(true);
      expect(bounds).toEqual(expect.arrayContaining(['allocation-', 'allocation.']));
      const plans = IDS.filter(isAllocationStream).map((id) => rangeOf(bounds, id));
      expect(new Set(plans).size).toBe(1);
      const others = IDS.filter((id) => !isAllocationStream(id)).map((id) => rangeOf(bounds, id));
      expect(others).not.toContain(plans[0]);
    },
  );

  it('with no sample, three ranges: before the plans, the plans, after them', () => {
    expect(rangeBounds([], 4)).toEqual(['allocation-', 'allocation.']);
  });

  it('keeps a sampled id before the plans and after them, each once', () => {
    expect(rangeBounds(['a', 'a', 'ab', 'allocation-x', 'b', 'b', 'q'], 1)).toEqual([
      'a',
      'ab',
      'allocation-',
      'allocation.',
      'b',
      'q',
    ]);
  });
});

describe('RangeClaims', () => {
  it('hands every range out once, in increasing order to each of the takers', () => {
    const ranges: StreamRanges = {
      bounds: ['b', 'd', 'f'],
      taken: new SharedArrayBuffer(4),
    };
    const takers = [new RangeClaims(ranges), new RangeClaims(ranges)];
    const taken: Array<Array<{ from: string; to: string | undefined }>> = [[], []];
    for (let turn = 0; ; turn += 1) {
      const index = turn % 3 === 2 ? 1 : 0;
      const range = takers[index]?.next();
      if (range === undefined) break;
      taken[index]?.push(range);
    }
    expect(taken).toEqual([
      [
        { from: '', to: 'b' },
        { from: 'b', to: 'd' },
        { from: 'f', to: undefined },
      ],
      [{ from: 'd', to: 'f' }],
    ]);
    expect(takers[1]?.next()).toBeUndefined();
  });
});
