import { isLedgerEventType, ledgerEventOf, type Upcasters } from './stored-event';

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
