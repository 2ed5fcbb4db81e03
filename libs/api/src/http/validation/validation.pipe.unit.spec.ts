import { HttpException } from '@nestjs/common';
import { ALLOCATION_COMMANDS, APPLICANT_COMMANDS } from '@hz/ledger';
import { commandRequestDto } from './request-dto';
import { ApiValidationPipe } from './validation.pipe';

// The request classes the routes validate against, built from the command registry's field specs.
const DecideClaimRequest = commandRequestDto(APPLICANT_COMMANDS.DecideClaim);
const RecordDisbursementRequest = commandRequestDto(APPLICANT_COMMANDS.RecordDisbursement);
const DecideAllocationPlanRequest = commandRequestDto(ALLOCATION_COMMANDS.DecideAllocationPlan);

const pipe = new ApiValidationPipe();

async function problems(
  metatype: new () => object,
  body: unknown,
): Promise<Array<{ path: string; code: string }>> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
  } catch (error) {
    const response = (error as HttpException).getResponse() as {
      error: { code: string; details: Array<{ path: string; code: string }> };
    };
    expect(response.error.code).toBe('REQUEST.INVALID');
    return response.error.details.map(({ path, code }) => ({ path, code }));
  }
  return [];
}

describe('ApiValidationPipe', () => {
  it('accepts a valid body and returns it as plain data', async () => {
    const body = { funder: 'city', amount: '100.00', paymentRef: 'PAY-1', paidAt: '2024-08-01' };
    await expect(
      pipe.transform(body, { type: 'body', metatype: RecordDisbursementRequest }),
    ).resolves.toEqual(body);
  });

  it('names the money reason for each bad amount', async () => {
    const cases: Array<[unknown, string]> = [
      [100, 'MONEY.NOT_A_STRING'],
      ['-1.00', 'MONEY.NEGATIVE'],
      ['1.005', 'MONEY.TOO_MANY_FRACTION_DIGITS'],
      ['1e3', 'MONEY.EXPONENT'],
      ['12345678901234', 'MONEY.TOO_MANY_INTEGER_DIGITS'],
    ];
    for (const [amount, code] of cases) {
      await expect(
        problems(RecordDisbursementRequest, {
          funder: 'city',
          amount,
          paymentRef: 'P',
          paidAt: '2024-08-01',
        }),
      ).resolves.toEqual([{ path: 'amount', code }]);
    }
  });

  it('requires an amount to approve and refuses one on a rejection', async () => {
    await expect(
      problems(DecideClaimRequest, { outcome: 'approve', reasons: [] }),
    ).resolves.toEqual([{ path: 'amount', code: 'FIELD.REQUIRED' }]);
    await expect(
      problems(DecideClaimRequest, { outcome: 'reject', amount: '1.00', reasons: ['x'] }),
    ).resolves.toEqual([{ path: 'amount', code: 'FIELD.NOT_ALLOWED' }]);
  });

  it('reports nested problems with their index path', async () => {
    const body = {
      planId: 'p-1',
      pool: '100.00',
      scores: [
        { district: 'xihu', score: '1' },
        { district: 'mars', score: '-1', extra: 1 },
      ],
      decidedAt: '2024-05-01',
    };
    await expect(problems(DecideAllocationPlanRequest, body)).resolves.toEqual(
      expect.arrayContaining([
        { path: 'scores[1].district', code: 'DISTRICT.UNKNOWN' },
        { path: 'scores[1].score', code: 'DECIMAL.INVALID' },
        { path: 'scores[1].extra', code: 'FIELD.UNKNOWN' },
      ]),
    );
  });

  it("refuses prototype keys that class-validator's whitelist takes for declared fields, at the top and nested", async () => {
    const disbursement = {
      funder: 'city',
      amount: '100.00',
      paymentRef: 'PAY-1',
      paidAt: '2024-08-01',
    };
    for (const key of ['constructor', 'hasOwnProperty', 'toString', '__proto__']) {
      await expect(
        problems(
          RecordDisbursementRequest,
          JSON.parse(`{"${key}":"x",${JSON.stringify(disbursement).slice(1)}`),
        ),
      ).resolves.toEqual([{ path: key, code: 'FIELD.UNKNOWN' }]);
    }
    const plan =
      '{"planId":"p-1","pool":"100.00","scores":[{"district":"xihu","score":"1","__proto__":{"x":1}}],"decidedAt":"2024-05-01"}';
    await expect(problems(DecideAllocationPlanRequest, JSON.parse(plan))).resolves.toEqual([
      { path: 'scores[0].__proto__', code: 'FIELD.UNKNOWN' },
    ]);
  });

  it('refuses a body nested deeper than the limit before class-transformer walks it', async () => {
    const deep = JSON.parse(
      `{"planId":"p-1","scores":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    ) as unknown;
    await expect(
      pipe.transform(deep, { type: 'body', metatype: DecideAllocationPlanRequest }),
    ).rejects.toMatchObject({ response: { error: { code: 'REQUEST.TOO_DEEP' } } });
  });

  it("refuses forbidden characters in single-line fields with FIELD.FORBIDDEN_CHARACTER, and takes the ledger's reference pattern", async () => {
    const disbursement = {
      funder: 'city',
      amount: '100.00',
      paymentRef: 'PAY-1',
      paidAt: '2024-08-01',
    };
    await expect(
      problems(RecordDisbursementRequest, { ...disbursement, paymentRef: 'PAY\u202e1' }),
    ).resolves.toEqual([{ path: 'paymentRef', code: 'FIELD.FORBIDDEN_CHARACTER' }]);
    await expect(
      problems(RecordDisbursementRequest, { ...disbursement, paidAt: '2024-08-01\n' }),
    ).resolves.toEqual([{ path: 'paidAt', code: 'FIELD.FORBIDDEN_CHARACTER' }]);
    await expect(
      problems(RecordDisbursementRequest, { ...disbursement, paymentRef: 'P'.repeat(64) }),
    ).resolves.toEqual([]);
    await expect(
      problems(RecordDisbursementRequest, { ...disbursement, paymentRef: 'P'.repeat(65) }),
    ).resolves.toEqual([{ path: 'paymentRef', code: 'REFERENCE.INVALID' }]);
    // Reasons are free text: two lines are fine, NUL is not.
    await expect(
      problems(DecideClaimRequest, { outcome: 'reject', reasons: ['one\ntwo'] }),
    ).resolves.toEqual([]);
    await expect(
      problems(DecideClaimRequest, { outcome: 'reject', reasons: ['one\u0000'] }),
    ).resolves.toEqual([{ path: 'reasons[0]', code: 'FIELD.FORBIDDEN_CHARACTER' }]);
  });

  it('refuses a body that is not an object', async () => {
    await expect(problems(DecideClaimRequest, [])).resolves.toEqual([
      { path: '', code: 'BODY.NOT_AN_OBJECT' },
    ]);
  });

  it('leaves query and path parameters to their own pipes', async () => {
    await expect(pipe.transform('42', { type: 'query', metatype: String })).resolves.toBe('42');
  });
});
