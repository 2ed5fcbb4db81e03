/** The pure EventStoreDB mappings: always run, no server needed. */
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { StreamNotFound, WrongExpectedVersion } from '../errors';
import {
  assertUuid,
  isStreamNotFound,
  isSystemEvent,
  toEsdbEvent,
  toEsdbExpectedRevision,
  toEsdbReadPosition,
  toRecordedEvent,
  toWrongExpectedVersion,
  UNKNOWN_POSITION,
} from './mapping';

const uuid = '3f2b8c1e-5d4a-4b6f-9a7e-1c2d3e4f5a6b';

function resolvedEvent(overrides: Record<string, unknown> = {}) {
  return {
    event: {
      streamId: 'applicant-91330100MA2XXXXX1',
      id: uuid,
      isJson: true as const,
      revision: 4n,
      type: 'ClaimSubmitted',
      created: new Date(0),
      data: { claimId: 'c-1', requestedAmount: '1250.00' },
      metadata: {
        actor: 'user-7',
        hash: 'a'.repeat(64),
        prevHash: 'b'.repeat(64),
        recordedAt: '2024-03-01T08:00:00.000Z',
      },
      position: { commit: 5_120n, prepare: 5_120n },
      ...overrides,
    },
    commitPosition: undefined,
  } as never;
}

describe('EventStoreDB mapping', () => {
  it('maps every expected revision exactly', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
    expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
  });

  it('maps WrongExpectedVersionError to ours, naming what our caller expected and the actual revision', () => {
    const existing = new WrongExpectedVersionError(undefined, {
      streamName: 's-1',
      expected: 3n,
      current: 7n,
    });
    expect(toWrongExpectedVersion(existing, 's-1', 'no_stream')).toMatchObject({
      streamId: 's-1',
      expected: 'no_stream',
      actual: 7n,
    });
    const missing = new WrongExpectedVersionError(undefined, {
      streamName: 's-2',
      expected: STREAM_EXISTS,
      current: NO_STREAM,
    });
    const mapped = toWrongExpectedVersion(missing, 's-2', 'stream_exists');
    expect(mapped).toBeInstanceOf(WrongExpectedVersion);
    expect(mapped).toMatchObject({
      streamId: 's-2',
      expected: 'stream_exists',
      actual: 'no_stream',
    });
  });

  it('recognises stream-not-found from the client and from us', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 's-1'))).toBe(true);
    expect(isStreamNotFound(new StreamNotFound('s-1'))).toBe(true);
    expect(isStreamNotFound(new Error('other'))).toBe(false);
  });

  it('passes event ids through and requires UUIDs', () => {
    const event = toEsdbEvent({
      id: uuid,
      type: 'ClaimSubmitted',
      revision: 0n,
      dataJson: '{"a":"1.00"}',
      metadataJson: '{"hash":"h"}',
      hash: 'h',
    });
    expect(event).toEqual({
      id: uuid,
      contentType: 'application/json',
      type: 'ClaimSubmitted',
      data: { a: '1.00' },
      metadata: { hash: 'h' },
    });
    expect(() => assertUuid('claim-1')).toThrow(/UUID/);
  });

  it('maps a recorded event with its commit position as our position', () => {
    expect(toRecordedEvent(resolvedEvent())).toEqual({
      id: uuid,
      type: 'ClaimSubmitted',
      data: { claimId: 'c-1', requestedAmount: '1250.00' },
      metadata: {
        actor: 'user-7',
        hash: 'a'.repeat(64),
        prevHash: 'b'.repeat(64),
        recordedAt: '2024-03-01T08:00:00.000Z',
      },
      streamId: 'applicant-91330100MA2XXXXX1',
      revision: 4n,
      position: 5_120n,
    });
  });

  it('skips system events and unresolved links, and refuses what it cannot represent', () => {
    expect(
      toRecordedEvent(resolvedEvent({ streamId: '$settings', type: 'settings' })),
    ).toBeUndefined();
    expect(toRecordedEvent(resolvedEvent({ type: '$metadata' }))).toBeUndefined();
    expect(toRecordedEvent({ event: undefined, commitPosition: 10n })).toBeUndefined();
    expect(isSystemEvent('applicant-1', 'ClaimSubmitted')).toBe(false);
    expect(() => toRecordedEvent(resolvedEvent({ isJson: false }))).toThrow(/not JSON/);
    expect(() =>
      toRecordedEvent(
        resolvedEvent({ position: { commit: UNKNOWN_POSITION, prepare: UNKNOWN_POSITION } }),
      ),
    ).toThrow(/22\.6/);
    expect(() => toRecordedEvent(resolvedEvent({ data: [1, 2] }))).toThrow(
      /data is not a JSON object/,
    );
  });

  it('starts $all reads at the checkpoint (inclusive there, so readers drop the event on it)', () => {
    expect(toEsdbReadPosition(5_120n)).toEqual({ commit: 5_120n, prepare: 5_120n });
    expect(() => toEsdbReadPosition(-1n)).toThrow(RangeError);
  });
});
