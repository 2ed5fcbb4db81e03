/**
 * The registered read models, in dump order (docs/architecture.md §5, "Adding a read model"). The runner,
 * the batch builder, the in-memory model, the DDL and queries of both stores, the canonical dump and the
 * PostgreSQL reporting schema iterate over this list. Claims come first: the step that evolves the others
 * carries the claim before and after the event.
 */
import { APPLICANTS_MODEL } from './applicants';
import { AUDIT_MODEL } from './audit';
import { AWARDS_MODEL } from './awards';
import { CAPS_MODEL } from './caps';
import { CLAIMS_MODEL } from './claim-summary';
import { FISCAL_MODEL } from './fiscal';
import {
  parseColumns,
  rowFrom,
  rowValues,
  type ColumnDefinition,
  type ReadModelDefinition,
  type RowReader,
  type SqlValue,
} from './read-model';

export const READ_MODELS = [
  CLAIMS_MODEL,
  APPLICANTS_MODEL,
  AWARDS_MODEL,
  AUDIT_MODEL,
  CAPS_MODEL,
  FISCAL_MODEL,
] as const;

export type ReadModel = (typeof READ_MODELS)[number];
export type ReadModelName = ReadModel['name'];
export type RowOf<Name extends ReadModelName> =
  Extract<ReadModel, { readonly name: Name }> extends ReadModelDefinition<Name, infer Row>
    ? Row
    : never;

/** What one event or one batch changed: the new rows per model (current rows or new versions). */
export type RowChanges = { readonly [Name in ReadModelName]: readonly RowOf<Name>[] };

/** A mutable RowChanges with every model present and empty. */
export function emptyChanges(): { [Name in ReadModelName]: RowOf<Name>[] } {
  return Object.fromEntries(READ_MODELS.map((model) => [model.name, []])) as unknown as {
    [Name in ReadModelName]: RowOf<Name>[];
  };
}

const COLUMNS = new Map<string, readonly ColumnDefinition[]>(
  READ_MODELS.map((model) => [model.name, parseColumns(model.columns)]),
);

/** The parsed columns of a registered model, in table order. */
export function columnsOf(model: ReadModel): readonly ColumnDefinition[] {
  const columns = COLUMNS.get(model.name);
  if (columns === undefined) throw new Error(`read model ${model.name} is not registered`);
  return columns;
}

/** A stored row of `model` read back (the stores' one row mapper). */
export function decode<Model extends ReadModel>(
  model: Model,
): (row: RowReader) => RowOf<Model['name']> {
  const columns = columnsOf(model);
  return (row) =>
    rowFrom(model as ReadModelDefinition<string, unknown>, columns, row) as RowOf<Model['name']>;
}

/** The SQL values of a row of `model`, in column order. */
export function encode(model: ReadModel, row: unknown): SqlValue[] {
  return rowValues(model as ReadModelDefinition<string, unknown>, columnsOf(model), row);
}

/** The row mapper of each model the stores read back. */
export const READ = {
  claims: decode(CLAIMS_MODEL),
  applicants: decode(APPLICANTS_MODEL),
  awards: decode(AWARDS_MODEL),
  audit: decode(AUDIT_MODEL),
  caps: decode(CAPS_MODEL),
  fiscal: decode(FISCAL_MODEL),
};
