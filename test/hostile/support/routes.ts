/**
 * The routes under test, read from the OpenAPI document the server itself serves (/api/docs/openapi.json),
 * so a new endpoint joins the battery without anyone listing it here. A valid baseline body per route is
 * built from the request schema (examples, enums, types); the few fields that must name live objects
 * (the applicant, a fresh USCC, unique references) are filled in by the caller.
 */
import { sendRaw } from './raw-http';

type Schema = {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly minItems?: number;
};

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly schema?: Schema;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** The OpenAPI template, e.g. /api/v1/claims/{id}/decisions. */
  readonly template: string;
  readonly pathParams: readonly string[];
  readonly queryParams: ReadonlyArray<{
    readonly name: string;
    readonly schema: Schema | undefined;
  }>;
  readonly headerParams: readonly string[];
  readonly bodySchema: Schema | undefined;
  readonly secured: boolean;
}

export interface ApiDocument {
  readonly routes: readonly Route[];
  /** A valid body for the route's schema, with `fill` deciding named fields. */
  baseline(route: Route, fill: (field: string, schema: Schema) => unknown): unknown;
}

interface OpenApi {
  readonly paths: Readonly<
    Record<
      string,
      Readonly<
        Record<
          string,
          {
            parameters?: Parameter[];
            requestBody?: { content?: Record<string, { schema?: Schema }> };
            security?: unknown[];
          }
        >
      >
    >
  >;
  readonly components: { readonly schemas: Readonly<Record<string, Schema>> };
}

/** Operations endpoints the document does not list; they are open by design (docs/architecture.md §6). */
const OPEN_ROUTES: readonly string[] = [
  '/api/v1/health/live',
  '/api/v1/health/ready',
  '/api/v1/metrics',
];

export async function loadApiDocument(origin: URL): Promise<ApiDocument> {
  const answer = await sendRaw(origin, {
    method: 'GET',
    path: '/api/docs/openapi.json',
    headers: [['Accept', 'application/json']],
  });
  if (answer.status !== 200) throw new Error(`GET /api/docs/openapi.json: ${answer.status}`);
  const document = answer.json as OpenApi;
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (schema?.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return document.components.schemas[name];
  };
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      routes.push({
        method: method.toUpperCase() as Route['method'],
        template,
        pathParams: parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name),
        queryParams: parameters
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => ({ name: parameter.name, schema: resolve(parameter.schema) })),
        headerParams: parameters
          .filter((parameter) => parameter.in === 'header')
          .map((parameter) => parameter.name),
        bodySchema: resolve(operation.requestBody?.content?.['application/json']?.schema),
        // The audit endpoints carry no `security` entry in the document but need an auditor all the same.
        secured: true,
      });
    }
  }
  for (const template of OPEN_ROUTES)
    routes.push({
      method: 'GET',
      template,
      pathParams: [],
      queryParams: [],
      headerParams: [],
      bodySchema: undefined,
      secured: false,
    });
  const build = (
    schema: Schema | undefined,
    field: string,
    fill: (field: string, schema: Schema) => unknown,
  ): unknown => {
    const resolved = resolve(schema);
    if (resolved === undefined) return undefined;
    const filled = fill(field, resolved);
    if (filled !== undefined) return filled;
    if (resolved.enum && resolved.enum.length > 0) return resolved.enum[0];
    if (resolved.type === 'object' || resolved.properties) {
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(resolved.properties ?? {})) {
        value[name] = build(property, name, fill);
      }
      return value;
    }
    if (resolved.type === 'array')
      return resolved.items ? [build(resolved.items, field, fill)] : [];
    if (resolved.example !== undefined) return resolved.example;
    if (resolved.type === 'number' || resolved.type === 'integer') return 1;
    if (resolved.type === 'boolean') return true;
    return 'hostile check';
  };
  return {
    routes,
    baseline: (route, fill) => (route.bodySchema ? build(route.bodySchema, '', fill) : undefined),
  };
}
