/**
 * Row shapes of the PostgreSQL adapter: the events row is the shared one (../event-rows.ts) with bigint
 * columns as node-postgres returns them, decimal strings.
 */
import { recordedEventOf, type EventRowOf } from '../event-rows';

export type EventRow = EventRowOf<string>;

export interface StreamHeadRow {
  readonly revision: string;
  readonly position: string;
  readonly hash: string;
}

/** The select list matching EventRow; `table` is the quoted events table or an alias of it. */
export function eventColumns(table: string): string {
  return `${table}.position, ${table}.stream_id, ${table}.revision, ${table}.event_id, ${table}.type, ${table}.data::text AS data, ${table}.metadata::text AS metadata`;
}

export const toRecordedEvent = recordedEventOf;
