/**
 * The SQLite writer thread (docs/architecture.md §4 "The writer thread"): its own connection to the
 * store's file, on which it commits the group-commit batches the main thread sends (writer-thread.ts).
 * A batch is one IMMEDIATE transaction with a savepoint per request, the same body as the in-thread path
 * (append.ts appendWithOptions), so every request keeps its own expected-revision check, conditions,
 * alongside appends, record and replay recognition, and one request's refusal never fails another's.
 *
 * A record whose value is a function of the append's result (the HTTP idempotency answer names its
 * position) cannot cross to this thread. Its key is reserved in the batch, the results are sent to the
 * main thread in one message while the transaction stays open, and the values it answers are inserted
 * before COMMIT. When that cannot be decided in one pass (the key already exists, two requests share a
 * key, or the main thread's function threw, so the request must be undone), the batch is rolled back to
 * its start and run again with the values now known, written inline exactly as the in-thread path does;
 * the write lock is held throughout, so the rerun sees the same database.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { appendWithOptions, writeRecord, type RecordWriter } from './append';
import { openDatabase } from './schema';
import { prepareStatements, type Statements } from './statements';
import type { AppendOptions, AppendResult, Clock } from '../port';
import {
  RecordValueFailed,
  wireErrorOf,
  type FromWorker,
  type ToWorker,
  type ValueAnswer,
  type ValueQuestion,
  type WireOutcome,
  type WireRequest,
  type WriterWorkerData,
} from './writer-protocol';

interface Known {
  readonly result: AppendResult;
  readonly answer: ValueAnswer;
}

interface Pass {
  readonly outcomes: WireOutcome[];
  readonly questions: ValueQuestion[];
  /** Computed records whose keys were free: inserted once their values arrive. */
  readonly reserved: Map<string, number>;
  /** Some record could not be decided in this pass: run the batch again with the values known. */
  readonly rerun: boolean;
}

export class BatchWriter {
  private readonly inSavepoint: (wire: WireRequest, recordWriter: RecordWriter) => WireOutcome;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
    private readonly ask: (
      id: number,
      questions: readonly ValueQuestion[],
    ) => Promise<ValueAnswer[]>,
  ) {
    // Called inside the batch's transaction, better-sqlite3 runs this as a SAVEPOINT: a refusal undoes
    // only this request.
    this.inSavepoint = db.transaction(
      (wire: WireRequest, recordWriter: RecordWriter): WireOutcome => {
        const clock: Clock = { now: () => new Date(wire.recordedAt) };
        const outcome = appendWithOptions(
          statements,
          clock,
          wire.streamId,
          wire.events,
          optionsOf(wire),
          recordWriter,
        );
        return { ok: true, result: outcome.result, appended: outcome.appended };
      },
    );
  }

  async commit(id: number, requests: readonly WireRequest[]): Promise<WireOutcome[]> {
    const known = new Map<number, Known>();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      let outcomes: WireOutcome[] | undefined;
      // Each round learns the values of the requests it asked about; the bound only stops a bug.
      for (let round = 0; outcomes === undefined; round += 1) {
        if (round > requests.length + 1) throw new Error('record values did not settle in a batch');
        this.db.exec('SAVEPOINT hz_batch');
        const pass = this.pass(requests, known);
        let rerun = pass.rerun;
        if (pass.questions.length > 0) {
          const answers = await this.ask(id, pass.questions);
          pass.questions.forEach((question, index) => {
            const answer = answers[index];
            if (answer === undefined) throw new Error('the main thread answered too few values');
            known.set(question.index, { result: question.result, answer });
          });
          if (!rerun) rerun = !this.insertReserved(pass.reserved, known);
        }
        if (rerun) this.db.exec('ROLLBACK TO hz_batch');
        else outcomes = pass.outcomes;
        this.db.exec('RELEASE hz_batch');
      }
      this.db.exec('COMMIT');
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private pass(requests: readonly WireRequest[], known: ReadonlyMap<number, Known>): Pass {
    const questions: ValueQuestion[] = [];
    const reserved = new Map<string, number>();
    let rerun = false;
    const outcomes = requests.map((wire, index): WireOutcome => {
      const recordWriter: RecordWriter = (statements, record, result) => {
        const spec = wire.record;
        if (spec === undefined) return;
        if (!spec.computed) {
          // Compared with a value not yet known: decided in the rerun.
          if (reserved.has(spec.key)) rerun = true;
          else writeRecord(statements, { key: spec.key, value: spec.value });
          return;
        }
        const answered = known.get(index);
        if (answered !== undefined && sameResult(answered.result, result)) {
          if (!answered.answer.ok) throw new RecordValueFailed();
          writeRecord(statements, { key: record.key, value: answered.answer.value });
          return;
        }
        questions.push({ index, result });
        if (reserved.has(spec.key) || statements.recordByKey.get(spec.key) !== undefined)
          rerun = true;
        else reserved.set(spec.key, index);
      };
      try {
        return this.inSavepoint(wire, recordWriter);
      } catch (error) {
        return { ok: false, error: wireErrorOf(error) };
      }
    });
    return { outcomes, questions, reserved, rerun };
  }

  /** Inserts the reserved records; false when a value failed (its request must be undone: rerun). */
  private insertReserved(reserved: ReadonlyMap<string, number>, known: ReadonlyMap<number, Known>) {
    const values: [string, Known['answer']][] = [];
    for (const [key, index] of reserved) {
      const answer = known.get(index)?.answer;
      if (answer?.ok !== true) return false;
      values.push([key, answer]);
    }
    for (const [key, answer] of values)
      if (answer.ok) writeRecord(this.statements, { key, value: answer.value });
    return true;
  }
}

function optionsOf(wire: WireRequest): AppendOptions {
  const record = wire.record;
  return {
    expectedRevision: wire.expectedRevision,
    ...(wire.conditions === undefined ? {} : { conditions: wire.conditions }),
    ...(wire.alongside === undefined ? {} : { alongside: wire.alongside }),
    ...(record === undefined
      ? {}
      : {
          record: record.computed
            ? {
                key: record.key,
                // Never called: the batch's record writer asks the main thread instead.
                value: () => {
                  throw new RecordValueFailed();
                },
              }
            : { key: record.key, value: record.value },
        }),
  };
}

function sameResult(a: AppendResult, b: AppendResult): boolean {
  return a.nextRevision === b.nextRevision && a.position === b.position;
}

function serve(port: MessagePort, data: WriterWorkerData): void {
  const post = (message: FromWorker): void => port.postMessage(message);
  let db: Database.Database;
  try {
    db = openDatabase({
      file: data.file,
      synchronous: data.synchronous,
      busyTimeoutMs: data.busyTimeoutMs,
    });
  } catch (error) {
    post({ type: 'open-failed', error: wireErrorOf(error) });
    port.close();
    return;
  }
  const waiting = new Map<number, (answers: ValueAnswer[]) => void>();
  const writer = new BatchWriter(
    db,
    prepareStatements(db),
    (id, questions) =>
      new Promise<ValueAnswer[]>((resolve) => {
        waiting.set(id, resolve);
        post({ type: 'values', id, questions });
      }),
  );
  // One batch at a time (the main thread sends the next only after this one settled); the chain also
  // makes `close` wait for a batch in flight.
  let chain = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'batch':
        chain = chain.then(() =>
          writer.commit(message.id, message.requests).then(
            (outcomes) => post({ type: 'settled', id: message.id, outcomes }),
            (error: unknown) => post({ type: 'failed', id: message.id, error: wireErrorOf(error) }),
          ),
        );
        return;
      case 'values': {
        const resolve = waiting.get(message.id);
        waiting.delete(message.id);
        resolve?.([...message.answers]);
        return;
      }
      case 'close':
        chain = chain.then(() => {
          db.close();
          post({ type: 'closed' });
          port.close();
        });
        return;
    }
  });
  post({ type: 'ready' });
}

const data = workerData as WriterWorkerData | undefined;
if (parentPort !== null && data?.kind === 'hz-sqlite-writer') serve(parentPort, data);
