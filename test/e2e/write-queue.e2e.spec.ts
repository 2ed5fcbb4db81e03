/**
 * The bounded write queue (issue 12, docs/architecture.md error table): past LEDGER_WRITE_QUEUE_LIMIT a
 * command is answered 503 LEDGER.OVERLOADED with Retry-After and nothing is recorded, so the retry with
 * the same Idempotency-Key executes (201, not a replay). A limit of 1 makes a burst overflow it.
 */
import { newUscc } from './support/fixtures';
import { actorsOf } from './support/fixtures';
import type { Reply } from './support/client';
import { startTestServer, type TestServer } from './support/server';

const BURST = 64;
const BURSTS_MAX = 8;

describe('503 LEDGER.OVERLOADED past the write queue bound', () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer({ env: { LEDGER_WRITE_QUEUE_LIMIT: '1' } });
  });
  afterAll(() => test.stop());

  it('refuses with 503 and Retry-After, records nothing, and the retry with the same key executes', async () => {
    const { admin } = await actorsOf(test);
    const overloaded: Array<{ key: string; body: object; reply: Reply }> = [];
    const written: Reply[] = [];
    for (let round = 0; round < BURSTS_MAX && overloaded.length === 0; round += 1) {
      const replies = await Promise.all(
        Array.from({ length: BURST }, async (_, index) => {
          const uscc = newUscc();
          const key = `queue-${round}-${index}-${uscc}`;
          const body = { uscc, name: `Company ${uscc.slice(-6)}`, district: 'xihu' };
          return { key, body, reply: await admin.post('/applicants', body, { key }) };
        }),
      );
      for (const sent of replies) {
        if (sent.reply.status === 503) overloaded.push(sent);
        else written.push(sent.reply);
      }
    }
    expect(overloaded.length).toBeGreaterThan(0);
    expect(new Set(written.map((reply) => reply.status))).toEqual(new Set([201]));
    for (const { reply } of overloaded) {
      expect(reply.body).toMatchObject({ error: { code: 'LEDGER.OVERLOADED' } });
      expect(reply.headers.get('retry-after')).toBe('1');
    }
    const { key, body } = overloaded[0] ?? { key: '', body: {} };
    const retried = await admin.post('/applicants', body, { key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});
