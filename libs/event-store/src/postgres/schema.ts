/**
 * The PostgreSQL layout of the event store, created idempotently at open inside one named schema, so
 * tests can use a throwaway schema and several ledgers can share a database.
 *
 * - `events`: one row per event. `position` comes from an identity sequence but is only drawn inside
 *   the global append section (see ./append.ts), together with the transaction id `tx_id`, so that
 *   position order equals transaction-id order. Readers use `tx_id` against the snapshot xmin (./reads.ts) to never
 *   see a later transaction before an earlier one has finished.
 * - `data`/`metadata` are `json`, not `jsonb`: json keeps the exact text that was hashed (jsonb would
 *   re-render numbers and reject \u0000), and still allows ad-hoc `->>` queries.
 * - `streams`: one row per stream with its head revision, position and hash, so an append reads one row
 *   instead of the last event, and UPDATE ... WHERE revision = expected backs up the concurrency check.
 */
import type { PoolClient } from 'pg';

/** Lower-case identifiers only: no quoting surprises in LISTEN, advisory lock keys or logs. */
const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

/** Namespace of our two-key advisory locks (an arbitrary constant: "LEDG" in ASCII). */
export const ADVISORY_LOCK_NAMESPACE = 0x4c454447;

export interface SchemaNames {
  readonly schema: string;
  /** `"schema".events`, quoted and ready for SQL text. */
  readonly events: string;
  readonly streams: string;
  /** Records beside the log (port.ts RecordStore, issue 12): the HTTP idempotency records. */
  readonly records: string;
  /** The LISTEN/NOTIFY channel for appends in this schema. */
  readonly channel: string;
}

export function schemaNames(schema: string): SchemaNames {
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    throw new RangeError(
      `schema name ${JSON.stringify(schema)} must match ${SCHEMA_NAME_PATTERN.source}`,
    );
  }
  return {
    schema,
    events: `"${schema}".events`,
    streams: `"${schema}".streams`,
    records: `"${schema}".records`,
    channel: `ledger_events_${schema}`,
  };
}

function schemaStatements(names: SchemaNames): string[] {
  const { schema, events, streams, records } = names;
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE IF NOT EXISTS ${events} (
      position  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream_id text   NOT NULL,
      revision  bigint NOT NULL CHECK (revision >= 0),
      event_id  text   NOT NULL,
      type      text   NOT NULL,
      data      json   NOT NULL,
      metadata  json   NOT NULL,
      tx_id     xid8   NOT NULL DEFAULT pg_current_xact_id(),
      CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision),
      CONSTRAINT events_event_id_key UNIQUE (event_id)
    )`,
    `CREATE TABLE IF NOT EXISTS ${streams} (
      stream_id text   PRIMARY KEY,
      revision  bigint NOT NULL CHECK (revision >= 0),
      position  bigint NOT NULL,
      hash      text   NOT NULL
    )`,
    // Written in the same transaction as the command's events (issue 12); json keeps the canonical text.
    `CREATE TABLE IF NOT EXISTS ${records} (
      key   text PRIMARY KEY,
      value json NOT NULL
    )`,
    // Invariant 5: nothing is updated or deleted. A superuser can drop this; the hash chain is the backstop.
    `CREATE OR REPLACE FUNCTION "${schema}".events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'events are immutable: append a correcting event instead'; END $$`,
    `CREATE OR REPLACE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON ${events}
      FOR EACH ROW EXECUTE FUNCTION "${schema}".events_are_immutable()`,
    `CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${events}
      FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".events_are_immutable()`,
    `CREATE OR REPLACE TRIGGER records_no_update_or_delete BEFORE UPDATE OR DELETE ON ${records}
      FOR EACH ROW EXECUTE FUNCTION "${schema}".events_are_immutable()`,
  ];
}

/**
 * Creates what is missing. Two replicas starting at once would race on the catalog (CREATE ... IF NOT
 * EXISTS is not atomic against a concurrent CREATE), so the whole migration runs under an advisory lock.
 */
export async function ensureSchema(client: PoolClient, names: SchemaNames): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      ADVISORY_LOCK_NAMESPACE,
      `schema:${names.schema}`,
    ]);
    for (const statement of schemaStatements(names)) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
