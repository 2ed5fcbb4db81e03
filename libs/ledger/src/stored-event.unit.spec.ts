import {
  isLedgerEventType,
  ledgerEventOf,
  upcastDisbursementRecorded,
  UPCASTERS,
  type Upcasters,
} from './stored-event';

const stored = {
  id: 'e-1',
  type: 'IntegrityFlagRaised',
  data: { uscc: '91330100MA2B3C4D5E', reason: 'audit' },
  metadata: { actor: 'r-1' },
};

describe('ledgerEventOf: the one narrowing of stored records', () => {
  it('passes a known event through as it was stored, envelope included', () => {
    const event = ledgerEventOf(stored);
    expect(event).toBe(stored);
    expect(event?.type).toBe('IntegrityFlagRaised');
    expect(event?.metadata).toEqual({ actor: 'r-1' });
  });

  it('knows no type the ledger does not declare', () => {
    expect(ledgerEventOf({ ...stored, type: 'ClaimTeleported' })).toBeUndefined();
    expect([isLedgerEventType('ClaimSubmitted'), isLedgerEventType('toString')]).toEqual([
      true,
      false,
    ]);
  });

  it('runs the upcaster of the type, without touching the stored record', () => {
    const upcasters: Upcasters = {
      IntegrityFlagRaised: (data) => ({ ...(data as object), reason: 'upcast' }),
    };
    const event = ledgerEventOf(stored, upcasters);
    expect(event?.data).toEqual({ uscc: '91330100MA2B3C4D5E', reason: 'upcast' });
    expect(event?.id).toBe('e-1');
    expect(stored.data.reason).toBe('audit');
  });
});

describe('DisbursementRecorded v1 → v2 (docs/architecture.md §2, event versions)', () => {
  const v1 = {
    claimId: '91330100MA2B3C4D5E-1',
    funder: 'city',
    district: 'xihu',
    amount: '100.00',
    paymentRef: 'PAY-1',
    paidAt: '2024-06-30',
  };

  it('reads a stored v1 payment as v2 with channel "unrecorded", the stored data kept aside', () => {
    const record = { id: 'e-2', type: 'DisbursementRecorded', data: v1 };
    const event = ledgerEventOf(record);
    expect(event?.data).toEqual({ ...v1, channel: 'unrecorded' });
    expect(event?.storedData).toBe(v1);
    expect(record.data).toEqual(v1);
  });

  it('passes a stored v2 payment through untouched (no copy, no storedData)', () => {
    const record = {
      id: 'e-3',
      type: 'DisbursementRecorded',
      data: { ...v1, channel: 'treasury-direct' },
    };
    const event = ledgerEventOf(record);
    expect(event).toBe(record);
    expect(event?.storedData).toBeUndefined();
  });

  it('is the registered upcaster of the type', () => {
    expect(UPCASTERS.DisbursementRecorded).toBe(upcastDisbursementRecorded);
    expect(upcastDisbursementRecorded(null)).toBeNull();
  });
});
