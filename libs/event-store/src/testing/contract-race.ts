/**
 * Contract: two writers in two processes append to one stream with the same expected revision, released
 * by a shared start instant. Exactly one wins each round; the other gets WrongExpectedVersion naming what
 * it expected and what the stream actually was.
 */
import { join } from 'node:path';
import { verifyStreamChain } from '../chain-verifier';
import { TsChild } from './child-process';
import { contractCapabilities, type ContractSection } from './contract-types';
import { StreamNotFound } from '../errors';
import { idsOf } from './assertions';
import { deterministicUuid, testEvents } from './fixtures';

interface RaceReply {
  readonly round: number;
  readonly ok: boolean;
  readonly nextRevision?: string;
  readonly error?: string;
  readonly streamId?: string;
  readonly expected?: string;
  readonly actual?: string;
}

const RACE_WRITER = join(__dirname, 'race-writer.child.ts');
const STREAM_CREATOR = join(__dirname, 'stream-creator.child.ts');
/** Streams another process creates while this one reads them, and the pause between two creations. */
const CREATED_STREAMS = 150;
const CREATION_PAUSE_MS = 3;
/** How long a reader waits for a stream the other process creates before calling it lost. */
const CREATION_WAIT_MS = 20_000;
const CHILD_TIMEOUT_MS = 30_000;
/** Far enough ahead that both children have read the command before the instant comes. */
const BARRIER_LEAD_MS = 60;

export const describeRaceContract: ContractSection = (context, harness) => {
  if (!contractCapabilities(harness).childProcess) return;
  const rounds = harness.raceRounds ?? 8;

  describe('two processes racing on one stream', () => {
    it(
      `exactly one of two writers wins each of ${rounds} rounds; the other gets WrongExpectedVersion`,
      async () => {
        const { store, names, handle } = context();
        if (handle.child === undefined)
          throw new Error('the harness declares childProcess but create() gave no child spec');
        const stream = names.next();
        const writers = ['w0', 'w1'].map(
          (name) => new TsChild(RACE_WRITER, [JSON.stringify(handle.child), name]),
        );
        const winnerIds: string[] = [];
        try {
          await Promise.all(
            writers.map(async (writer) =>
              expect(JSON.parse(await writer.nextLine(CHILD_TIMEOUT_MS))).toEqual({ ready: true }),
            ),
          );
          for (let round = 0; round < rounds; round += 1) {
            const expected = round === 0 ? 'no_stream' : String(round - 1);
            const startAt = Date.now() + BARRIER_LEAD_MS;
            const seeds = writers.map((_, index) => `${stream}-round${round}-writer${index}`);
            writers.forEach((writer, index) =>
              writer.send(
                JSON.stringify({
                  round,
                  streamId: stream,
                  expected,
                  startAt,
                  eventSeed: seeds[index],
                }),
              ),
            );
            const replies = await Promise.all(
              writers.map(
                async (writer) => JSON.parse(await writer.nextLine(CHILD_TIMEOUT_MS)) as RaceReply,
              ),
            );
            const winners = replies.flatMap((reply, index) => (reply.ok ? [index] : []));
            expect(winners).toHaveLength(1);
            const winner = winners[0] ?? -1;
            expect(replies[winner]).toMatchObject({ round, ok: true, nextRevision: String(round) });
            expect(replies[1 - winner]).toEqual({
              round,
              ok: false,
              error: 'WrongExpectedVersion',
              streamId: stream,
              expected,
              actual: String(round),
            });
            winnerIds.push(deterministicUuid(seeds[winner] ?? ''));
          }
        } finally {
          await Promise.all(writers.map((writer) => writer.stop()));
        }
        const events = await store.readStream(stream);
        expect(events.map((event) => event.id)).toEqual(winnerIds);
        expect(verifyStreamChain(events)).toEqual([]);
      },
      CHILD_TIMEOUT_MS * 2,
    );

    it(
      `reads a stream that another process is creating whole or not at all (${CREATED_STREAMS} streams)`,
      async () => {
        // The same snapshot rule as readStream's in-process case (contract-read.ts), across processes:
        // a reader that saw the stream exist but missed its events answered [] for a stream with events.
        const { store, names, handle } = context();
        if (handle.child === undefined)
          throw new Error('the harness declares childProcess but create() gave no child spec');
        const streams = Array.from({ length: CREATED_STREAMS }, () => names.next());
        const creator = new TsChild(STREAM_CREATOR, [JSON.stringify(handle.child)]);
        const torn: string[] = [];
        try {
          expect(JSON.parse(await creator.nextLine(CHILD_TIMEOUT_MS))).toEqual({ ready: true });
          creator.send(JSON.stringify({ streams, pauseMs: CREATION_PAUSE_MS }));
          for (const stream of streams) {
            const expected = idsOf(testEvents(stream, 3)).join();
            const deadline = Date.now() + CREATION_WAIT_MS;
            for (;;) {
              const events = await store.readStream(stream).catch((error: unknown) => {
                if (error instanceof StreamNotFound) return null;
                throw error;
              });
              if (events !== null) {
                if (idsOf(events).join() !== expected)
                  torn.push(`${stream}: ${events.length} events`);
                break;
              }
              if (Date.now() > deadline) {
                torn.push(`${stream}: not created within ${CREATION_WAIT_MS} ms`);
                break;
              }
            }
          }
          expect(JSON.parse(await creator.nextLine(CHILD_TIMEOUT_MS))).toEqual({
            done: true,
            appended: CREATED_STREAMS,
          });
        } finally {
          await creator.stop();
        }
        expect(torn).toEqual([]);
      },
      CHILD_TIMEOUT_MS * 2,
    );
  });
};
