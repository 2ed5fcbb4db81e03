/**
 * The contract documents every operation (docs/architecture.md §6, issue 17): a success body with a
 * schema, the one error shape, 429 with Retry-After on every operation (the rate limiter sees them all),
 * 503 on the projection reads. Built exactly as `npm run openapi` builds docs/openapi.json.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { generateOpenApiDocument } from './openapi-document';

type Json = Record<string, unknown>;
interface Operation {
  readonly key: string;
  readonly operationId: unknown;
  readonly responses: Record<string, Json>;
}

let document: OpenAPIObject;
let operations: Operation[];

beforeAll(async () => {
  document = await generateOpenApiDocument();
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const).flatMap((method) => {
      const operation = (item as Record<string, Json | undefined>)[method];
      return operation === undefined
        ? []
        : [
            {
              key: `${method.toUpperCase()} ${path}`,
              operationId: operation['operationId'],
              responses: operation['responses'] as Record<string, Json>,
            },
          ];
    }),
  );
}, 60_000);

const schemaOf = (response: Json | undefined): unknown => {
  const content = response?.['content'] as Record<string, { schema?: unknown }> | undefined;
  return content === undefined ? undefined : Object.values(content)[0]?.schema;
};

it('lists the operations, each with a unique operationId, a server and tags with descriptions', () => {
  expect(operations.length).toBeGreaterThanOrEqual(26);
  const ids = operations.map((operation) => operation.operationId);
  expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
  expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  expect(document.info.license?.name).toBeTruthy();
  expect(document.info.description).toContain('/api/docs/openapi.json');
  for (const tag of document.tags ?? []) expect(tag.description).toBeTruthy();
});

it('gives every operation a success response with a schema', () => {
  const missing = operations
    .filter((operation) => {
      const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
      return (
        success.length === 0 || success.some((status) => !schemaOf(operation.responses[status]))
      );
    })
    .map((operation) => operation.key);
  expect(missing).toEqual([]);
});

it('documents 429 with Retry-After on every operation, and 503 on every projection read', () => {
  const without429 = operations
    .filter((operation) => {
      const headers = operation.responses['429']?.['headers'] as Json | undefined;
      return headers?.['Retry-After'] === undefined;
    })
    .map((operation) => operation.key);
  expect(without429).toEqual([]);
  const projectionReads = operations.filter((operation) =>
    /^GET \/api\/v1\/(projections\/|claims$|applicants$)/.test(operation.key),
  );
  expect(projectionReads.length).toBeGreaterThanOrEqual(5);
  for (const operation of projectionReads) expect(operation.responses['503']).toBeDefined();
});

it('documents every error response with the one error body, details as field problems or facts', () => {
  const errorRef = { $ref: '#/components/schemas/ErrorBodyDoc' };
  for (const operation of operations)
    for (const [status, response] of Object.entries(operation.responses))
      if (/^[45]\d\d$/.test(status))
        expect([operation.key, schemaOf(response)]).toEqual([operation.key, errorRef]);
  const schemas = document.components?.schemas as Record<string, Json>;
  const payload = schemas['ErrorPayloadDoc']?.['properties'] as Record<string, Json>;
  expect(payload['details']?.['oneOf']).toEqual([
    { type: 'array', items: { $ref: '#/components/schemas/FieldProblemDoc' } },
    { type: 'object', additionalProperties: true },
  ]);
  expect(Object.keys(schemas['FieldProblemDoc']?.['properties'] as Json)).toEqual([
    'path',
    'code',
    'message',
  ]);
});
