/** Schema names of the PostgreSQL read side: lower-case identifiers only, so names need no quoting surprises. */
const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

export const POSTGRES_READ_DEFAULT_SCHEMA = 'read_models';

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME_PATTERN.test(schema))
    throw new RangeError(
      `schema name ${JSON.stringify(schema)} must match ${SCHEMA_NAME_PATTERN.source}`,
    );
  return schema;
}
