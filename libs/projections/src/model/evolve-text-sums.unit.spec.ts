/**
 * The evolve steps' sums that stay text (issue 13, money-text.ts): an amount added to a total at zero takes
 * the amount's canonical text instead of a decimal.js sum, and an amount that starts with '0' is checked for
 * zero in full. Each gives what Money.parse(total).plus(Money.parse(amount)).toString() gives.
 */
import { Money, MoneyParseError } from '@hz/money';
import { usccFromPrefix } from '@hz/ledger';
import { Scenario } from '../testing/scenario';
import { InMemoryReadModel } from './in-memory-read-model';
import { emptyBucket, evolveFiscal, type FiscalMovement } from './fiscal';
import type { FiscalBucket } from './rows';

const CO = usccFromPrefix('91330109MA2H00001');
const CLAIM = `${CO}-1`;
const CAP_ID = 'one-time:c3-trademark';
const CAPS = [{ capId: CAP_ID, cap: '200000.00' }];

function approvedClaim(): Scenario {
  return new Scenario()
    .register(CO, 'xiaoshan')
    .submit(CLAIM, 'c3-trademark', '100.00', CAPS)
    .approve(CLAIM, {
      amount: '100.00',
      cityShare: '50.00',
      districtShare: '50.00',
      district: 'xiaoshan',
      caps: CAPS,
    });
}

describe("a claim's and its caps' paid amounts from zero", () => {
  it.each([
    ['1.5', '1.50'],
    ['7', '7.00'],
    ['0.05', '0.05'],
    ['12.30', '12.30'],
  ])('a first payment of %s is paid %s, then sums as Money', (amount, text) => {
    const s = approvedClaim()
      .disburse(CLAIM, 'city', amount, '2024-03-05')
      .disburse(CLAIM, 'district', amount, '2024-03-06');
    const first = InMemoryReadModel.of(s.records);
    expect(first.claim(CLAIM)?.paid).toEqual({ city: text, district: text });
    expect(first.cap(CO, CAP_ID)?.paid).toBe(
      Money.parse(amount).plus(Money.parse(amount)).toString(),
    );
    const then = InMemoryReadModel.of(s.disburse(CLAIM, 'city', '2', '2024-03-07').records);
    expect(then.claim(CLAIM)?.paid.city).toBe(
      Money.parse(amount).plus(Money.parse('2')).toString(),
    );
    expect(then.claim(CLAIM)?.paid.district).toBe(text);
  });

  it('a cap paid from zero by a non-canonical amount is the canonical text', () => {
    const s = approvedClaim().disburse(CLAIM, 'city', '3.5', '2024-03-05');
    expect(InMemoryReadModel.of(s.records).cap(CO, CAP_ID)?.paid).toBe('3.50');
  });
});

describe('evolveFiscal', () => {
  const month = '2024-03';
  const clause = '一(一)';
  const nothingStored = { bucket: (): FiscalBucket | undefined => undefined };
  const move = (funder: string, flow: FiscalMovement['flow'], amount: string): FiscalMovement => ({
    funder,
    month,
    clause,
    flow,
    amount,
  });

  it('gives a flow at zero the canonical text of the amount, then sums as Money', () => {
    const [first] = evolveFiscal(nothingStored, [move('city', 'committed', '1.5')], 5n, 1);
    expect(first).toEqual({
      ...emptyBucket('city', month, clause),
      committed: '1.50',
      position: 5n,
      recordedAtMs: 1,
    });
    const stored = { bucket: () => first };
    const [next] = evolveFiscal(stored, [move('city', 'committed', '2')], 6n, 2);
    expect(next?.committed).toBe('3.50');
  });

  it('skips zero amounts in every spelling and keeps amounts below 1', () => {
    expect(
      evolveFiscal(
        nothingStored,
        ['0', '0.0', '0.00'].map((a) => move('city', 'committed', a)),
        1n,
        1,
      ),
    ).toEqual([]);
    const [bucket] = evolveFiscal(nothingStored, [move('city', 'disbursed', '0.5')], 1n, 1);
    expect(bucket?.disbursed).toBe('0.50');
  });

  it('writes one version per bucket an event touches, in the order first touched', () => {
    const versions = evolveFiscal(
      nothingStored,
      [
        move('xiaoshan', 'cancelled', '10'),
        move('city', 'cancelled', '1'),
        move('xiaoshan', 'receivable', '20.5'),
        move('city', 'receivable', '2'),
        move('city', 'cancelled', '0.25'),
      ],
      9n,
      3,
    );
    expect(versions.map((v) => [v.funder, v.cancelled, v.receivable])).toEqual([
      ['xiaoshan', '10.00', '20.50'],
      ['city', '1.25', '2.00'],
    ]);
  });

  it.each(['01.00', '-1', '1e3', '1.005'])(
    'refuses the malformed amount %j with MoneyParseError',
    (bad) => {
      expect(() => evolveFiscal(nothingStored, [move('city', 'committed', bad)], 1n, 1)).toThrow(
        MoneyParseError,
      );
    },
  );
});
