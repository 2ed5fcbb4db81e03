import { verifyStreamChain } from '@hz/event-store';
import { applicantStreamId, DomainError } from '@hz/ledger';
import { HZ_CBEC_2023 } from '@hz/policy';
import { eventIdFor } from './event-envelope';
import {
  APPLICANT,
  approve,
  countersign,
  disburse,
  NOW,
  openHarness,
  recover,
  refusalOf,
  register,
  revoke,
  submitPlatform,
  submitTrademark,
  type Harness,
} from './testing/harness';

const claim1 = `${APPLICANT}-1`;
let harness: Harness;

beforeEach(async () => {
  harness = await openHarness();
});
afterEach(async () => harness.close());

describe('LedgerService.execute: the whole lifecycle on SQLite', () => {
  describe('Invariant 3: split · Invariant 4: payments', () => {
    it('registers, submits, approves, countersigns, pays, revokes and recovers, with exact amounts', async () => {
      const { service } = harness;
      const registered = await service.execute(register(APPLICANT, 'xiaoshan'));
      expect(registered).toMatchObject({
        replayed: false,
        position: 1n,
        result: { kind: 'applicant', uscc: APPLICANT, applicant: { district: 'xiaoshan' } },
      });

      const submitted = await service.execute(submitTrademark(APPLICANT, '250000.00'));
      expect(submitted.result).toMatchObject({
        kind: 'claim',
        claimId: claim1,
        status: 'submitted',
        assessment: { eligible: true, ruleAmount: '210000.00', ceiling: '200000.00' },
      });
      expect(submitted.position).toBe(2n);

      const approved = await service.execute(approve(claim1, '200000.00'));
      expect(approved.result).toMatchObject({
        status: 'approved',
        claim: { approval: { split: { cityShare: '50000.00', districtShare: '150000.00' } } },
      });

      await service.execute(disburse(claim1, 'city', '50000.00', 'PAY-1'));
      const paid = await service.execute(disburse(claim1, 'district', '100000.00', 'PAY-2'));
      expect(paid.result).toMatchObject({
        claim: {
          paid: { city: '50000.00', district: '100000.00' },
          outstanding: { city: '0.00', district: '50000.00' },
        },
      });

      await service.execute(revoke(claim1));
      const recovered = await service.execute(recover(claim1, 'district', '40000.00', 'REC-1'));
      expect(recovered.result).toMatchObject({
        status: 'revoked',
        claim: {
          cancelled: { city: '0.00', district: '50000.00' },
          receivable: { city: '50000.00', district: '100000.00' },
          recovered: { city: '0.00', district: '40000.00' },
        },
      });
      expect(await service.getClaim(claim1)).toEqual(
        (recovered.result as { claim: unknown }).claim,
      );
    });
  });

  describe('Invariant 1: caps', () => {
    it('routes a high approval through countersignature, reserving the cap meanwhile', async () => {
      const { service } = harness;
      await service.execute(register(APPLICANT, 'binjiang'));
      await service.execute(submitPlatform(APPLICANT, '800000.00'));
      await service.execute(submitPlatform(APPLICANT, '800000.00'));
      expect((await service.execute(approve(claim1, '800000.00'))).result).toMatchObject({
        status: 'pending_countersign',
      });
      expect(await refusalOf(service.execute(approve(`${APPLICANT}-2`, '200000.01')))).toBe(
        'CLAIM.EXCEEDS_CEILING',
      );
      expect(await refusalOf(service.execute(countersign(claim1, 'reviewer-1')))).toBe(
        'SOD.SELF_COUNTERSIGN',
      );
      expect((await service.execute(countersign(claim1))).result).toMatchObject({
        status: 'approved',
        claim: { countersignedBy: 'reviewer-2' },
      });
    });
  });

  describe('Invariant 2: ceiling', () => {
    it('writes metadata: actor, role, ids from the key, business time, catalog version on decisions, a verified hash chain', async () => {
      const { service, store } = harness;
      await service.execute(register(APPLICANT, 'xiaoshan'));
      await service.execute(submitTrademark(APPLICANT, '250000.00'));
      const approveCommand = approve(claim1, '1000.00');
      await service.execute(approveCommand);
      await service.execute(disburse(claim1, 'city', '250.00', 'PAY-1'));
      const events = await store.readStream(applicantStreamId(APPLICANT));
      const [registered, submitted, approved, paid] = events;
      expect(registered?.metadata).toMatchObject({
        actor: 'admin-1',
        role: 'admin',
        occurredAt: NOW,
        recordedAt: '2024-07-01T02:00:00.000Z',
      });
      expect(registered?.metadata.policyId).toBeUndefined();
      expect(submitted?.metadata).toMatchObject({
        role: 'applicant',
        policyId: HZ_CBEC_2023.id,
        catalogHash: HZ_CBEC_2023.hash,
      });
      expect(approved?.id).toBe(
        eventIdFor('reviewer-1', approveCommand.metadata.idempotencyKey, 0),
      );
      expect(approved?.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(approved?.metadata).toMatchObject({
        actor: 'reviewer-1',
        role: 'reviewer',
        correlationId: approveCommand.metadata.correlationId,
        policyId: HZ_CBEC_2023.id,
      });
      expect(paid?.metadata).toMatchObject({ occurredAt: '2024-06-30', role: 'finance' });
      expect(verifyStreamChain(events)).toEqual([]);
    });
  });

  it('fills a missing `now` from the clock', async () => {
    const command = register(APPLICANT, 'xiaoshan');
    const { now: _now, ...withoutNow } = command.metadata;
    await harness.service.execute({ ...command, metadata: withoutNow });
    const [event] = await harness.store.readStream(applicantStreamId(APPLICANT));
    expect(event?.metadata.occurredAt).toBe('2024-07-01T02:00:00.000Z');
  });

  it('records nothing when the decider refuses', async () => {
    const { service, store } = harness;
    await service.execute(register(APPLICANT, 'xiaoshan'));
    const error = await service
      .execute(register(APPLICANT, 'xihu'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'APPLICANT.ALREADY_REGISTERED', kind: 'conflict' });
    expect(await store.headPosition()).toBe(1n);
  });

  it('answers routing failures before touching the store', async () => {
    expect(await refusalOf(harness.service.execute(approve('not-a-claim', '1.00')))).toBe(
      'CLAIM.NOT_FOUND',
    );
    expect(await refusalOf(harness.service.execute(register('91330109MA2H000010', 'xihu')))).toBe(
      'USCC.INVALID',
    );
    expect(await harness.store.headPosition()).toBe(0n);
  });
});

describe('LedgerService reads', () => {
  it('reads an applicant, a claim and its history straight from the stream', async () => {
    const { service } = harness;
    await service.execute(register(APPLICANT, 'xiaoshan'));
    await service.execute(submitTrademark(APPLICANT, '250000.00'));
    await service.execute(approve(claim1, '200000.00'));
    expect(await service.getApplicant(APPLICANT)).toEqual({
      uscc: APPLICANT,
      name: `Company ${APPLICANT.slice(-4)}`,
      district: 'xiaoshan',
      integrityFlag: null,
      claims: [
        { claimId: claim1, programCode: 'c3-trademark', supportYear: 2024, status: 'approved' },
      ],
    });
    const history = await service.getClaimHistory(claim1);
    expect(
      history.map((entry) => [entry.type, entry.revision, entry.position, entry.actor]),
    ).toEqual([
      ['ClaimSubmitted', 1n, 2n, `user-${APPLICANT}`],
      ['ClaimApproved', 2n, 3n, 'reviewer-1'],
    ]);
    expect(history[1]?.prevHash).toBe(history[0]?.hash);
    expect(history[0]?.recordedAt).toBe('2024-07-01T02:00:00.000Z');
  });

  it('answers 404 codes for what does not exist', async () => {
    expect(await refusalOf(harness.service.getApplicant(APPLICANT))).toBe('APPLICANT.NOT_FOUND');
    expect(await refusalOf(harness.service.getClaim(`${APPLICANT}-1`))).toBe('CLAIM.NOT_FOUND');
    expect(await refusalOf(harness.service.getClaimHistory('garbage'))).toBe('CLAIM.NOT_FOUND');
    expect(await refusalOf(harness.service.getAllocationPlan('PLAN-1'))).toBe(
      'ALLOCATION.NOT_FOUND',
    );
  });
});
