import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { COMMAND_DEFINITIONS, type FieldSpecs } from '@hz/ledger';
import { commandRequestDto, requestDto, requestInstance } from './request-dto';
import { inspectJsonBody } from './json-body';
import { ApiValidationPipe, flattenValidationErrors } from './validation.pipe';

/** The options ApiValidationPipe validates with. */
const OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
};

/** A body for `fields`: each field absent, any JSON value, or (a list) an array of item bodies; maybe an unknown key. */
function bodyOf(fields: FieldSpecs, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([name, spec]) => {
    const value: fc.Arbitrary<unknown> =
      spec.kind === 'list' && depth < 2
        ? fc.oneof(
            fc.array(bodyOf(spec.item, depth + 1), { maxLength: 3 }),
            fc.jsonValue({ maxDepth: 2 }),
          )
        : fc.oneof(
            fc.string(),
            fc.constantFrom('xihu', '100.00', '2024-02-01'),
            fc.jsonValue({ maxDepth: 2 }),
          );
    return fc.option(
      value.map((inner) => [name, inner] as const),
      { nil: undefined },
    );
  });
  return fc
    .tuple(fc.tuple(...entries), fc.option(fc.tuple(fc.constant('unknownField'), fc.jsonValue())))
    .map(([present, extra]) =>
      Object.fromEntries(
        [...present, ...(extra === null ? [] : [extra])].filter((entry) => entry !== undefined),
      ),
    );
}

describe('requestInstance', () => {
  it('builds what plainToInstance builds for every command request, and class-validator finds the same problems (property)', async () => {
    for (const definition of COMMAND_DEFINITIONS) {
      const dto = commandRequestDto(definition);
      await fc.assert(
        fc.asyncProperty(bodyOf(definition.fields), async (body) => {
          // What reaches the pipe: a body the edge's guard let through (no prototype keys, json-body.ts).
          fc.pre(inspectJsonBody(body) === undefined);
          const reference = plainToInstance(dto, body) as object;
          const built = requestInstance(dto, body);
          if (built !== undefined) expect(built).toStrictEqual(reference);
          const problems = flattenValidationErrors(await validate(built ?? reference, OPTIONS));
          expect(problems).toEqual(flattenValidationErrors(await validate(reference, OPTIONS)));
        }),
        { numRuns: 60 },
      );
    }
  });

  it('makes list items instances of the item class, and leaves any other shape to plainToInstance', () => {
    const dto = requestDto('RequestDtoSpecPlanRequest', {
      scores: {
        kind: 'list',
        itemName: 'RequestDtoSpecScore',
        item: { score: { kind: 'decimal', doc: 'a score' } },
        min: 1,
        max: 3,
      },
    });
    const built = requestInstance(dto, { scores: [{ score: '1' }] }) as { scores: object[] };
    expect(built).toBeInstanceOf(dto);
    expect(built.scores[0]?.constructor.name).toBe('RequestDtoSpecScoreRequest');
    expect(requestInstance(dto, { scores: 'not a list' })).toBeUndefined();
    expect(requestInstance(dto, { scores: [1] })).toBeUndefined();
    expect(requestInstance(class NotBuiltHere {}, {})).toBeUndefined();
  });

  it('is what the pipe validates: a bad list item is reported at its index, the valid body comes back as it came', async () => {
    const pipe = new ApiValidationPipe();
    const plan = COMMAND_DEFINITIONS.find(
      (definition) => definition.type === 'DecideAllocationPlan',
    );
    if (plan === undefined) throw new Error('DecideAllocationPlan is not in the registry');
    const dto = commandRequestDto(plan);
    const body = {
      planId: 'p-1',
      pool: '100.00',
      scores: [{ district: 'xihu', score: '1' }],
      decidedAt: '2024-05-01',
    };
    await expect(pipe.transform(body, { type: 'body', metatype: dto })).resolves.toBe(body);
    await expect(
      pipe.transform(
        {
          ...body,
          scores: [
            { district: 'xihu', score: '1' },
            { district: 'xihu', score: '-1' },
          ],
        },
        { type: 'body', metatype: dto },
      ),
    ).rejects.toMatchObject({
      response: { error: { details: [expect.objectContaining({ path: 'scores[1].score' })] } },
    });
  });
});
