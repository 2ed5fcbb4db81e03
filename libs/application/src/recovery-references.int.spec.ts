/**
 * Invariant 4, recovery side: recovery references are unique across the ledger, not only within one
 * applicant's stream. The decider sees one stream only; the reservation stream recovery-ref-{ref} is what
 * keeps a second applicant from recording a recovery under a reference another applicant already used.
 */
import { referenceStreamId } from '@hz/ledger';
import {
  APPLICANT,
  approve,
  disburse,
  OTHER_APPLICANT,
  openHarness,
  recover,
  refusalOf,
  register,
  revoke,
  submitTrademark,
  type Harness,
} from './testing/harness';

const claim1 = `${APPLICANT}-1`;
const otherClaim1 = `${OTHER_APPLICANT}-1`;
let harness: Harness;

/** An approved claim with a city payment, revoked: the payment becomes a receivable of the city. */
async function revokedWithCityReceivable(
  service: Harness['service'],
  uscc: string,
  district: string,
  amount: string,
  paid: string,
  paymentRef: string,
): Promise<void> {
  await service.execute(register(uscc, district));
  await service.execute(submitTrademark(uscc, '250000.00'));
  await service.execute(approve(`${uscc}-1`, amount));
  await service.execute(disburse(`${uscc}-1`, 'city', paid, paymentRef));
  await service.execute(revoke(`${uscc}-1`));
}

beforeEach(async () => {
  harness = await openHarness();
});
afterEach(async () => harness.close());

describe('Invariant 4: payments — recovery references', () => {
  it('reserves the reference of a recorded recovery in its own stream', async () => {
    const { service, store } = harness;
    await revokedWithCityReceivable(
      service,
      APPLICANT,
      'xiaoshan',
      '200000.00',
      '1000.00',
      'PAY-A',
    );
    await service.execute(recover(claim1, 'city', '1000.00', 'REC-1'));
    const reservation = await store.readStream(referenceStreamId('recovery', 'REC-1'));
    expect(reservation).toHaveLength(1);
    expect(reservation[0]).toMatchObject({
      type: 'ReferenceReserved',
      data: { kind: 'recovery', reference: 'REC-1', subjectId: claim1 },
    });
  });

  it('refuses a recovery reference used by another applicant (409) and records nothing for it', async () => {
    const { service, store } = harness;
    await revokedWithCityReceivable(
      service,
      APPLICANT,
      'xiaoshan',
      '200000.00',
      '1000.00',
      'PAY-A',
    );
    await revokedWithCityReceivable(service, OTHER_APPLICANT, 'xihu', '1000.00', '500.00', 'PAY-B');
    await service.execute(recover(claim1, 'city', '1000.00', 'REC-1'));
    const head = await store.headPosition();

    expect(await refusalOf(service.execute(recover(otherClaim1, 'city', '500.00', 'REC-1')))).toBe(
      'REFERENCE.REUSED',
    );

    expect(await store.headPosition()).toBe(head);
    expect(await store.readStream(referenceStreamId('recovery', 'REC-1'))).toHaveLength(1);
    expect((await service.getClaim(otherClaim1)).recovered).toEqual({
      city: '0.00',
      district: '0.00',
    });
    expect((await service.getClaim(claim1)).recovered).toEqual({
      city: '1000.00',
      district: '0.00',
    });
  });
});
