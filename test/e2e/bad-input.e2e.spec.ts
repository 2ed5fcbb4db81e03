/**
 * Malformed input is refused with 400 (or 413/422) in the contract's shape, and nothing is stored:
 * the number of events in the log is the same before and after.
 */
import { actorsOf, claimBody, registered, type Actors } from './support/fixtures';
import type { Client } from './support/client';
import { startTestServer, type TestServer } from './support/server';

describe('bad input records nothing', () => {
  let test: TestServer;
  let actors: Actors;
  let uscc: string;
  let applicant: Client;
  let claimId: string;
  let eventsBefore: number;
  let idempotencyHeadBefore: bigint;
  let recordsBefore: number | undefined;

  beforeAll(async () => {
    test = await startTestServer();
    actors = await actorsOf(test);
    ({ uscc, client: applicant } = await registered(actors));
    const submitted = await applicant.post('/claims', claimBody(uscc, 'c3-trademark'));
    expect(submitted.status).toBe(201);
    claimId = submitted.body.claimId;
    eventsBefore = await test.eventCount();
    idempotencyHeadBefore = await test.idempotencyHead();
    recordsBefore = await test.recordCount();
    // The commands above left their records: the count below counts something (undefined on EventStoreDB).
    expect(recordsBefore === undefined || recordsBefore >= 2).toBe(true);
  });
  afterAll(() => test.stop());
  afterEach(async () => {
    expect(await test.eventCount()).toBe(eventsBefore);
    // Refused before the idempotency record too: a malformed request leaves no trace at all.
    expect(await test.idempotencyHead()).toBe(idempotencyHeadBefore);
    // On SQLite and PostgreSQL the records are rows beside the log: counted there with SQL.
    expect(await test.recordCount()).toBe(recordsBefore);
  });

  const expectInvalid = (
    reply: { status: number; body: { error: { code: string } } },
    code = 'REQUEST.INVALID',
  ) => {
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
  };

  it('refuses JSON numbers, negatives, 3 fraction digits, exponents and grouping for money', async () => {
    for (const requestedAmount of [
      200000,
      '-1.00',
      '1.005',
      '1e5',
      '1,000.00',
      ' 1.00',
      '',
      '01.00',
    ]) {
      const reply = await applicant.post('/claims', {
        ...claimBody(uscc, 'c3-trademark'),
        requestedAmount,
      });
      expectInvalid(reply);
      expect(reply.body.error.details[0]).toEqual(
        expect.objectContaining({
          path: 'requestedAmount',
          code: expect.stringMatching(/^MONEY\./),
        }),
      );
    }
    const approval = await actors.reviewer.post(`/claims/${claimId}/decisions`, {
      outcome: 'approve',
      amount: 1000,
      reasons: [],
    });
    expect(approval.body.error.details[0]).toEqual(
      expect.objectContaining({ path: 'amount', code: 'MONEY.NOT_A_STRING' }),
    );
  });

  it('refuses wrong types and missing fields with a path and code per problem', async () => {
    const reply = await applicant.post('/claims', {
      applicant: uscc,
      programCode: 7,
      supportYear: '2024',
      evidence: [],
    });
    expectInvalid(reply);
    const byPath = Object.fromEntries(
      reply.body.error.details.map((detail: { path: string; code: string }) => [
        detail.path,
        detail.code,
      ]),
    );
    expect(byPath).toEqual({
      programCode: 'PROGRAM.UNKNOWN',
      supportYear: 'FIELD.NOT_AN_INTEGER',
      requestedAmount: 'FIELD.REQUIRED',
      evidence: 'FIELD.NOT_AN_OBJECT',
    });
  });

  it('refuses unknown fields instead of dropping them', async () => {
    const reply = await applicant.post('/claims', {
      ...claimBody(uscc, 'c3-trademark'),
      approved: true,
    });
    expectInvalid(reply);
    expect(reply.body.error.details).toEqual([
      expect.objectContaining({ path: 'approved', code: 'FIELD.UNKNOWN' }),
    ]);
  });

  it('refuses a USCC with a wrong check character, unknown districts and programs', async () => {
    const badUscc = `${uscc.slice(0, 17)}${uscc.endsWith('0') ? '1' : '0'}`;
    expectInvalid(
      await actors.admin.post('/applicants', { uscc: badUscc, name: 'Bad', district: 'xihu' }),
    );
    expectInvalid(
      await actors.admin.post('/applicants', {
        uscc: '913301060000000000',
        name: 'Bad',
        district: 'atlantis',
      }),
    );
    expectInvalid(
      await actors.admin.post(`/applicants/${uscc}/relocations`, {
        district: 'atlantis',
        effectiveDate: '2024-01-01',
      }),
    );
    expectInvalid(
      await actors.admin.post(`/applicants/${badUscc}/integrity-flags`, { reason: 'x' }),
    );
    expectInvalid(
      await applicant.post('/claims', claimBody(uscc, 'c99-unknown', 2024, '1.00', {})),
    );
  });

  it('refuses impossible dates, blank reasons and oversized reason lists', async () => {
    expectInvalid(
      await actors.admin.post(`/applicants/${uscc}/relocations`, {
        district: 'xiaoshan',
        effectiveDate: '2024-02-30',
      }),
    );
    expectInvalid(
      await actors.reviewer.post(`/claims/${claimId}/decisions`, {
        outcome: 'reject',
        reasons: ['  '],
      }),
    );
    expectInvalid(
      await actors.reviewer.post(`/claims/${claimId}/decisions`, {
        outcome: 'reject',
        reasons: Array(21).fill('no'),
      }),
    );
    expectInvalid(
      await actors.reviewer.post(`/claims/${claimId}/decisions`, {
        outcome: 'reject',
        amount: '1.00',
        reasons: ['no'],
      }),
    );
    expectInvalid(
      await actors.reviewer.post(`/claims/${claimId}/decisions`, {
        outcome: 'approve',
        reasons: [],
      }),
    );
  });

  it("refuses malformed evidence with the policy engine's EVIDENCE.* codes", async () => {
    const reply = await applicant.post(
      '/claims',
      claimBody(uscc, 'c3-patent', 2024, '1.00', { items: [{ date: '2024-13-01', amount: 5 }] }),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toMatch(/^EVIDENCE\./);
    expect(reply.body.error.details.length).toBeGreaterThan(1);
  });

  it('refuses malformed JSON, non-object bodies and oversized bodies', async () => {
    expectInvalid(
      await applicant.post('/claims', undefined, { rawBody: '{"applicant": ' }),
      'REQUEST.MALFORMED_JSON',
    );
    expectInvalid(await applicant.post('/claims', [claimBody(uscc, 'c3-trademark')]));
    const huge = await applicant.post(
      '/claims',
      claimBody(uscc, 'c3-trademark', 2024, '1.00', { padding: 'x'.repeat(300 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('REQUEST.TOO_LARGE');
  });

  it('requires an Idempotency-Key on every recording POST', async () => {
    const reply = await applicant.post('/claims', claimBody(uscc, 'c3-trademark'), { key: null });
    expectInvalid(reply, 'IDEMPOTENCY.KEY_REQUIRED');
    expectInvalid(
      await applicant.post('/claims', claimBody(uscc, 'c3-trademark'), {
        key: 'bad key with spaces',
      }),
      'IDEMPOTENCY.KEY_INVALID',
    );
  });

  it('refuses an applicant acting for another USCC, before anything is recorded', async () => {
    const other = await registered(actors);
    eventsBefore = await test.eventCount();
    idempotencyHeadBefore = await test.idempotencyHead();
    recordsBefore = await test.recordCount();
    const reply = await applicant.post('/claims', claimBody(other.uscc, 'c3-trademark'));
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('AUTH.NOT_YOUR_APPLICANT');
    expect((await applicant.get(`/applicants/${other.uscc}`)).status).toBe(403);
    expect((await applicant.get(`/claims/${claimId}`)).status).toBe(200);
  });

  it('reads a missing body as an empty object, so required fields are named', async () => {
    const reply = await actors.reviewer.post(`/claims/${claimId}/decisions`, undefined, {
      headers: { 'content-type': 'text/plain' },
      rawBody: '',
    });
    expectInvalid(reply);
    expect(reply.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'outcome', code: 'FIELD.REQUIRED' }),
      ]),
    );
  });

  it('never leaks a stack trace', async () => {
    const reply = await applicant.post('/claims', undefined, { rawBody: '{bad' });
    expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
