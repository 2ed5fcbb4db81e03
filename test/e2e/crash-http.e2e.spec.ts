/**
 * Issue 12, the crash test through real HTTP: the real ledger-api in a child process (main.ts, as
 * `npm start` runs it; group commit on, the default) serves CLIENTS concurrent clients over HTTP, each
 * walking applicants through register → submit → approve (the cap check) → two payments (each appends
 * a reference reservation beside the disbursement, on another stream), every command with its own
 * Idempotency-Key. The child is killed with SIGKILL at seeded random moments, ROUNDS times, and started
 * again on the same data dir (SQLite) or database (PostgreSQL: the same spec under test/e2e-postgres).
 *
 * While it is down, the store is opened and, for every command ever sent:
 * - its events are all there or none (a payment's reservation and disbursement together), never twice;
 * - its idempotency record exists exactly when its events do, and names its last event's position;
 * - an acknowledged command (a 2xx received) is there, its record holding the very answer received;
 * - nothing in the log belongs to a command the clients did not send; every hash chain verifies.
 * After the restart, over HTTP:
 * - every command acknowledged in the round before is sent again, same key and body: the same status
 *   and body, marked replayed (the record answers, nothing executes);
 * - every unanswered command is retried by its client with its key: a 2xx; if the store showed it whole,
 *   the recorded answer replayed; the next round's store check finds it exactly once (it converged).
 *
 * SIGKILL ends the process, not the machine: what the OS already holds survives (docs/architecture.md §4).
 * The store-level sibling (a child appending whole commands, 16 writers) is
 * libs/event-store/src/sqlite/crash.int.spec.ts; the retry of events without their record (EventStoreDB,
 * or a record lost before issue 12) is crash-recovery.e2e.spec.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { idempotencyRecordKey } from '@hz/api';
import { mintToken, type Role } from '@hz/auth';
import { verifyAllChains, type EventStore, type RecordedEvent } from '@hz/event-store';
import { seededRandom } from '@hz/event-store/testing';
// There is no path alias for the app (apps are not libraries); the spec opens the very store it serves.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createEventStore, loadConfig, type LedgerConfig } from '../../apps/ledger-api/src';
import { claimBody, newUscc } from './support/fixtures';
import { LedgerProcess } from './support/ledger-process';

const ROUNDS = 22;
const CLIENTS = 8;
/** Kill moments are drawn from [0, KILL_DELAY_MAX_MS) after the first answer (even rounds) or the start (odd). */
const KILL_DELAY_MAX_MS = 400;
const SEED = 20261212;
const START_TIMEOUT_MS = 90_000;
const STORE = process.env['LEDGER_EVENT_STORE'] ?? 'sqlite';

jest.setTimeout(900_000);

type Kind = 'register' | 'submit' | 'approve' | 'pay';

/** The events each command appends (docs/architecture.md §4: all of them and its record, or nothing). */
const EVENTS_OF: Readonly<Record<Kind, readonly string[]>> = {
  register: ['ApplicantRegistered'],
  submit: ['ClaimSubmitted'],
  approve: ['ClaimApproved'],
  pay: ['DisbursementRecorded', 'ReferenceReserved'],
};

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

interface Command {
  readonly label: string;
  readonly kind: Kind;
  /** The JWT subject: the record's key is (actor, Idempotency-Key). */
  readonly actor: string;
  readonly token: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly key: string;
  /** The first 2xx the client received. */
  answer?: Answer;
  /** Unanswered when the child died: what the store showed afterwards, and the record if it was whole. */
  found?: 'whole' | 'absent';
  recorded?: Answer;
}

interface Reply extends Answer {
  readonly replayed: boolean;
}

async function send(api: string, command: Command): Promise<Reply> {
  const response = await fetch(`${api}${command.path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${command.token}`,
      'content-type': 'application/json',
      'idempotency-key': command.key,
    },
    body: JSON.stringify(command.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    replayed: response.headers.get('idempotent-replayed') === 'true',
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isSuccess = (status: number) => status >= 200 && status < 300;

interface Tokens {
  readonly secret: string;
  readonly admin: string;
  readonly reviewer: string;
  readonly finance: string;
}

/** One client: applicants one after another, each through five commands; a command waits for the one before. */
class Client {
  private lane = 0;
  private uscc = newUscc();
  private applicantToken: Promise<string> | undefined;
  private claimId: string | undefined;
  private step = 0;
  /** The command sent and not answered yet: retried (same key, same body) before anything new. */
  pending: Command | undefined;

  constructor(
    private readonly index: number,
    private readonly tokens: Tokens,
  ) {}

  async next(): Promise<Command> {
    if (this.pending !== undefined) return this.pending;
    const label = `client ${this.index} applicant ${this.lane} step ${this.step}`;
    const key = `crash-${this.index}-${this.lane}-${this.step}`;
    const claim = `/claims/${this.claimId ?? ''}`;
    const payment = (funder: 'city' | 'district'): Record<string, unknown> => ({
      funder,
      amount: '75000.00',
      paymentRef: `PAY-${this.uscc}-${funder}`,
      paidAt: '2024-08-01',
    });
    const { admin, reviewer, finance } = this.tokens;
    const as = (actor: string, token: string, kind: Kind, path: string, body: object) =>
      ({ label, kind, actor, token, path, body, key }) as Command;
    switch (this.step) {
      case 0:
        return (this.pending = as('root-admin', admin, 'register', '/applicants', {
          uscc: this.uscc,
          name: `Crash Test ${this.uscc.slice(-6)}`,
          district: 'xihu',
        }));
      case 1:
        this.applicantToken ??= mintToken({
          sub: `user-${this.uscc}`,
          roles: ['applicant'] as Role[],
          applicant: this.uscc,
          secret: this.tokens.secret,
          ttl: 3600,
        });
        return (this.pending = as(
          `user-${this.uscc}`,
          await this.applicantToken,
          'submit',
          '/claims',
          claimBody(this.uscc, 'c3-patent'),
        ));
      case 2:
        // c3-patent for 300,000.00 of fees: 150,000.00, inside the one-time cap of 200,000.00.
        return (this.pending = as('rita-reviewer', reviewer, 'approve', `${claim}/decisions`, {
          outcome: 'approve',
          amount: '150000.00',
          reasons: ['crash test'],
        }));
      default:
        // xihu is group A: half city, half district (75,000.00 each).
        return (this.pending = as(
          'fay-finance',
          finance,
          'pay',
          `${claim}/disbursements`,
          payment(this.step === 3 ? 'city' : 'district'),
        ));
    }
  }

  answered(command: Command, body: unknown): void {
    if (command.kind === 'submit') this.claimId = (body as { claimId: string }).claimId;
    this.pending = undefined;
    this.step += 1;
    if (this.step === 5) {
      this.lane += 1;
      this.step = 0;
      this.uscc = newUscc();
      this.applicantToken = undefined;
      this.claimId = undefined;
    }
  }
}

interface Stats {
  kills: number;
  roundsWithAnswers: number;
  answered: number;
  /** Unanswered at a store check, yet whole there (the answer was lost on the way). */
  lostAnswers: number;
  /** Unanswered at a store check and absent (never committed, or never received). */
  neverCommitted: number;
  replays: number;
}

/** Every event of the log, in position order. */
async function readWholeLog(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let fromPosition: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ fromPosition, maxCount: 1000 });
    if (page.length === 0) return all;
    all.push(...page);
    fromPosition = page[page.length - 1]?.position;
  }
}

/** The store while the service is down: see the file comment for what it must show. */
async function checkStore(
  config: LedgerConfig,
  commands: readonly Command[],
  stats: Stats,
): Promise<{ problems: string[]; chains: unknown[] }> {
  const store = await createEventStore(config);
  try {
    const records = store.records;
    if (records === undefined)
      return { problems: ['the ledger store keeps no records'], chains: [] };
    const groups = new Map<string, RecordedEvent[]>();
    for (const event of await readWholeLog(store)) {
      const id = `${String(event.metadata['actor'])}\u0000${String(event.metadata['idempotencyKey'])}`;
      const group = groups.get(id);
      if (group === undefined) groups.set(id, [event]);
      else group.push(event);
    }
    const problems: string[] = [];
    for (const command of commands) {
      const id = `${command.actor}\u0000${command.key}`;
      const group = groups.get(id) ?? [];
      groups.delete(id);
      const value = await records.read(idempotencyRecordKey(command.actor, command.key));
      const record =
        value === undefined ? undefined : { status: value['status'], body: value['body'] };
      if (group.length === 0) {
        if (record !== undefined) problems.push(`${command.label}: a record without its events`);
        if (command.answer !== undefined)
          problems.push(`${command.label}: answered ${command.answer.status}, no events`);
        else {
          command.found = 'absent';
          stats.neverCommitted += 1;
        }
        continue;
      }
      const types = group.map((event) => event.type).sort();
      if (!isDeepStrictEqual(types, [...EVENTS_OF[command.kind]]))
        problems.push(`${command.label}: partial or doubled, ${types.join(', ')}`);
      if (record === undefined) {
        problems.push(`${command.label}: events without their idempotency record`);
        continue;
      }
      const last = String(group[group.length - 1]?.position);
      if ((record.body as { position?: unknown } | undefined)?.position !== last)
        problems.push(`${command.label}: the record does not name the last event (${last})`);
      if (command.answer !== undefined) {
        if (!isDeepStrictEqual(record, command.answer))
          problems.push(`${command.label}: the record is not the answer the client received`);
      } else {
        command.found = 'whole';
        command.recorded = record as Answer;
        stats.lostAnswers += 1;
      }
    }
    for (const id of groups.keys())
      problems.push(`events of a command nobody sent: ${id.replace('\u0000', ' ')}`);
    return { problems, chains: await verifyAllChains(store) };
  } finally {
    await store.close();
  }
}

describe(`the real ledger-api killed with SIGKILL under concurrent HTTP commands (${STORE}, group commit)`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hz-crash-http-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps every answered command with its record, no partial command, chains intact, across ${ROUNDS} kills`, async () => {
    const secret = randomBytes(36).toString('base64');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      LEDGER_HOST: '127.0.0.1',
      LEDGER_DATA_DIR: dataDir,
      LEDGER_JWT_SECRET: secret,
      LEDGER_RATE_LIMIT_PER_MINUTE: '0',
      LEDGER_LOG_LEVEL: 'info',
      LEDGER_GROUP_COMMIT: 'on',
    };
    const config = loadConfig(env);
    const mint = (sub: string, role: Role) => mintToken({ sub, roles: [role], secret, ttl: 3600 });
    const tokens: Tokens = {
      secret,
      admin: await mint('root-admin', 'admin'),
      reviewer: await mint('rita-reviewer', 'reviewer'),
      finance: await mint('fay-finance', 'finance'),
    };
    const clients = Array.from({ length: CLIENTS }, (_, index) => new Client(index, tokens));
    const commands: Command[] = [];
    const sent = new Set<Command>();
    const stats: Stats = {
      kills: 0,
      roundsWithAnswers: 0,
      answered: 0,
      lostAnswers: 0,
      neverCommitted: 0,
      replays: 0,
    };
    const problems: string[] = [];
    const random = seededRandom(SEED);
    const started = Date.now();

    /** One command to its answer; false when the child is gone (the command stays pending). */
    const execute = async (api: string, client: Client, command: Command): Promise<boolean> => {
      if (!sent.has(command)) {
        sent.add(command);
        commands.push(command);
      }
      let reply: Reply;
      for (;;) {
        try {
          reply = await send(api, command);
        } catch {
          return false;
        }
        // 503 LEDGER.OVERLOADED: the bounded queue is full; the same key again is what a client does.
        if (reply.status !== 503) break;
        await sleep(5);
      }
      if (!isSuccess(reply.status)) {
        problems.push(`${command.label}: ${reply.status} ${JSON.stringify(reply.body)}`);
        return false;
      }
      if (command.found === 'whole') {
        const same = reply.replayed && isDeepStrictEqual({ ...command.recorded }, answerOf(reply));
        if (!same) problems.push(`${command.label}: the retry did not replay the recorded answer`);
      }
      // Absent from SQLite after the kill: nothing of a dead process commits later, so the retry executes.
      // (PostgreSQL may still commit a COMMIT the child sent just before it died: either answer is right.)
      if (command.found === 'absent' && STORE === 'sqlite' && reply.replayed)
        problems.push(`${command.label}: absent after the kill, yet the retry was a replay`);
      command.answer = answerOf(reply);
      stats.answered += 1;
      client.answered(command, reply.body);
      return true;
    };

    let answeredBefore: Command[] = [];
    for (let round = 0; round <= ROUNDS; round += 1) {
      const child = new LedgerProcess(env);
      try {
        const api = await child.started(START_TIMEOUT_MS);
        // The commands answered in the round before: the same status and body, from the record.
        for (const command of answeredBefore) {
          const reply = await send(api, command);
          stats.replays += 1;
          if (!reply.replayed || !isDeepStrictEqual(answerOf(reply), command.answer))
            problems.push(`${command.label}: replayed ${reply.status}, not the answer recorded`);
        }
        answeredBefore = [];
        if (round === ROUNDS) {
          // The last start: every command still unanswered is retried once more, then a clean stop.
          for (const client of clients)
            if (client.pending !== undefined) await execute(api, client, client.pending);
          await child.stop();
          break;
        }
        let killed = false;
        let firstAnswer: () => void = () => undefined;
        const answeredOnce = new Promise<void>((resolve) => (firstAnswer = resolve));
        const drive = async (client: Client): Promise<void> => {
          while (!killed) {
            const command = await client.next();
            if (!(await execute(api, client, command))) return;
            answeredBefore.push(command);
            firstAnswer();
          }
        };
        const drivers = clients.map(drive);
        if (round % 2 === 0) {
          let timer: NodeJS.Timeout | undefined;
          const waited = new Promise((resolve) => (timer = setTimeout(resolve, 20_000)));
          await Promise.race([answeredOnce, waited]);
          clearTimeout(timer);
        }
        await sleep(Math.floor(random() * KILL_DELAY_MAX_MS));
        killed = true;
        child.kill('SIGKILL');
        expect((await child.exited).signal).toBe('SIGKILL');
        stats.kills += 1;
        await Promise.all(drivers);
        if (answeredBefore.length > 0) stats.roundsWithAnswers += 1;
      } catch (error) {
        await child.stop(0);
        throw new Error(`round ${round}: ${(error as Error).message}\n${child.output()}`);
      }
      const found = await checkStore(config, commands, stats);
      expect({ round, ...found, problems: [...problems, ...found.problems] }).toEqual({
        round,
        problems: [],
        chains: [],
      });
    }
    const final = await checkStore(config, commands, stats);
    const unanswered = commands.filter((command) => command.answer === undefined);
    expect({ ...final, unanswered: unanswered.map((command) => command.label) }).toEqual({
      problems: [],
      chains: [],
      unanswered: [],
    });
    // The kills must land while commands are in flight, not only before the first one.
    expect(stats.kills).toBeGreaterThanOrEqual(20);
    expect(stats.roundsWithAnswers).toBeGreaterThanOrEqual(ROUNDS / 2);
    process.stdout.write(
      `crash-http (${STORE}): ${JSON.stringify({ ...stats, commands: commands.length, seconds: Math.round((Date.now() - started) / 1000) })}\n`,
    );
  });
});

function answerOf(reply: Reply): Answer {
  return { status: reply.status, body: reply.body };
}
