/**
 * The live path's flush (issue 12): an idle projector commits a lone event after one timer turn, not
 * after a fixed flush delay, so a reader waiting for its X-Min-Position is not held behind a floor.
 * Timers are faked (setImmediate and the stores are real), so the test counts timer turns, not time.
 */
import { generateEvents, seededRandom, TestStores } from '../testing';
import { PROJECTION_SCHEMA_VERSION } from '../sql/generation-sql';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';

jest.setTimeout(30_000);

const turns = async (count: number): Promise<void> => {
  for (let turn = 0; turn < count; turn += 1) await new Promise((done) => setImmediate(done));
};

describe('ProjectionRunner live flush', () => {
  let stores: TestStores;
  let abort: AbortController;
  beforeEach(() => {
    stores = TestStores.create();
    abort = new AbortController();
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(async () => {
    abort.abort();
    jest.useRealTimers();
    await turns(5);
    await stores.close();
  });

  /** Follows a fresh active generation; resolves once live, with the runner. */
  async function following(options: ProjectionRunnerOptions): Promise<ProjectionRunner> {
    const { generation } = await stores.reads.createGeneration(PROJECTION_SCHEMA_VERSION);
    await stores.reads.activate(generation, 0n);
    const runner = new ProjectionRunner(stores.events, stores.reads, generation, options);
    await new Promise<void>((live) => void runner.follow(abort.signal, live));
    return runner;
  }

  const [first, second, third] = generateEvents(seededRandom(3), 3, { activeApplicants: 1 });

  it('commits a lone live event after one timer turn by default', async () => {
    if (!first) throw new Error('no event generated');
    const runner = await following({});
    const position = await stores.append([first]);
    await turns(10);
    expect(runner.checkpoint?.position ?? 0n).toBeLessThan(position);
    jest.advanceTimersByTime(1);
    await turns(10);
    expect(runner.checkpoint?.position).toBe(position);
    expect(runner.stats).toEqual({ events: 1, batches: 1 });
  });

  it('still batches what arrived together, and waits out a configured delay', async () => {
    if (!first || !second || !third) throw new Error('no events generated');
    const runner = await following({ flushDelayMs: 25 });
    await stores.append([first, second]);
    const position = await stores.append([third]);
    await turns(10);
    jest.advanceTimersByTime(24);
    await turns(10);
    expect(runner.checkpoint?.position ?? 0n).toBeLessThan(position);
    jest.advanceTimersByTime(1);
    await turns(10);
    expect(runner.checkpoint?.position).toBe(position);
    expect(runner.stats).toEqual({ events: 3, batches: 1 });
  });
});
