/**
 * Stored rows of the streaming read (@hz/event-store readAllRaw, issue 13) as the audits use them: an event
 * is parsed only when a check reads it, and its hash is recomputed from the stored texts without parsing.
 *
 * The hash of an event (docs/invariants.md 7) is SHA-256 over the canonical JSON of the event with its
 * metadata minus `hash`. The adapters store data and metadata as canonical JSON texts, so that text can be
 * assembled from the row itself: metadata with its `"hash":"…"` member cut out. When that assembled text
 * hashes to the stored hash, it IS the text that was hashed (SHA-256), and when data and that metadata text
 * are canonical (./canonical-text.ts, one pass over the texts) computeEventHash of the parsed event gives
 * the same digest. Otherwise (an edited row, a text that is not canonical, a metadata object that is not
 * flat, a store that rewrote the text) the event is parsed and hashed exactly as computeEventHash does.
 * Either way the result is computeEventHash's.
 */
import {
  computeEventHash,
  eventOfRawRow,
  hashCanonicalParts,
  type RawEventRow,
  type RecordedEvent,
} from '@hz/event-store/rows';
import { isCanonicalObjectText } from './canonical-text';

export interface RowHashes {
  /** The event's hash recomputed from its content (= computeEventHash of the parsed event). */
  readonly hash: string;
  /** metadata.hash and metadata.prevHash as stored (undefined when missing). */
  readonly storedHash: unknown;
  readonly prevHash: unknown;
  /** The parsed event, when the exact path had to parse it (saves the caller a second parse). */
  readonly event?: RecordedEvent;
}

const HASH_KEY = '"hash":"';
const PREV_HASH_KEY = '"prevHash":"';
const QUOTE = 34;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

export function rowHashes(row: RawEventRow): RowHashes {
  const metadata = row.metadata;
  // A flat object (no nested object or array): the first `"hash":"` is its own top-level key, as a quote
  // inside a string value is always escaped.
  if (metadata.indexOf('{', 1) === -1 && metadata.indexOf('[') === -1) {
    const at = metadata.indexOf(HASH_KEY);
    if (at > 0 && metadata.charCodeAt(at + 72) === QUOTE) {
      const storedHash = metadata.slice(at + 8, at + 72);
      const withoutHash = metadataWithout(metadata, at, at + 73);
      // The hash proves the texts are the ones hashed; only canonical texts are the ones computeEventHash
      // hashes (a row re-written in another key order or spacing, with a hash over that text, would pass
      // otherwise): checked without parsing (./canonical-text.ts), only when the hash already matched.
      if (
        withoutHash !== undefined &&
        hashCanonicalParts(row, row.data, withoutHash) === storedHash &&
        isCanonicalObjectText(row.data) &&
        isCanonicalObjectText(withoutHash)
      )
        return {
          hash: storedHash,
          storedHash,
          prevHash: flatStringMember(metadata, PREV_HASH_KEY),
        };
    }
  }
  const event = eventOfRow(row);
  return {
    hash: computeEventHash(event),
    storedHash: event.metadata.hash,
    prevHash: event.metadata.prevHash,
    event,
  };
}

/** The metadata text with the member [start, end) cut out, or undefined when it is not where expected. */
function metadataWithout(text: string, start: number, end: number): string | undefined {
  const after = text.charCodeAt(end);
  if (after === COMMA) return text.slice(0, start) + text.slice(end + 1);
  if (after !== CLOSE_BRACE) return undefined;
  const before = text.charCodeAt(start - 1);
  if (before === COMMA) return `${text.slice(0, start - 1)}}`;
  return before === OPEN_BRACE ? '{}' : undefined;
}

/** A top-level string member of a flat canonical object whose value holds no escape. */
function flatStringMember(text: string, key: string): string | undefined {
  const at = text.indexOf(key);
  if (at === -1) return undefined;
  const start = at + key.length;
  const end = text.indexOf('"', start);
  if (end === -1) return undefined;
  const value = text.slice(start, end);
  return value.includes('\\') ? undefined : value;
}

/** The row as the port's RecordedEvent (parsed as the adapters' readAll parse their rows). */
export const eventOfRow = eventOfRawRow;
