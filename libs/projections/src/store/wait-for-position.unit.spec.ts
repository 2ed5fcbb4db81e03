/**
 * X-Min-Position waits (issue 12): a reader is woken by the projector's commit in this process, not by
 * the next 20 ms poll; the poll stays as the fallback for a projector in another process.
 */
import type { Checkpoint } from './read-store';
import { ProjectionNotCaughtUp, readModelCommits, waitForPosition } from './wait-for-position';

type ActiveCheckpoint = Checkpoint & { readonly generation: number };

function checkpointAt(position: bigint): ActiveCheckpoint {
  return { generation: 1, position, watermarkMs: 0 };
}

/** A read store whose active checkpoint the test moves, counting how often it is asked. */
class MovingReader {
  position = 0n;
  reads = 0;
  async activeCheckpoint(): Promise<ActiveCheckpoint> {
    this.reads += 1;
    return checkpointAt(this.position);
  }
}

describe('waitForPosition', () => {
  afterEach(() => jest.useRealTimers());

  it('answers at once when the read models are already there', async () => {
    const reader = new MovingReader();
    reader.position = 7n;
    await expect(waitForPosition(reader, 7n)).resolves.toMatchObject({ position: 7n });
    expect(reader.reads).toBe(1);
  });

  it("wakes on the projector's commit in this process without waiting for a poll", async () => {
    // Timers frozen: only the commit notification can move the wait on.
    jest.useFakeTimers();
    const reader = new MovingReader();
    const waiting = waitForPosition(reader, 5n, 5000, () => 0);
    await Promise.resolve();
    await Promise.resolve();
    expect(reader.reads).toBe(1);
    reader.position = 5n;
    readModelCommits.notifyAll();
    await expect(waiting).resolves.toMatchObject({ position: 5n });
    expect(reader.reads).toBe(2);
  });

  it('many commits short of the position do not end the wait early; the time bound does', async () => {
    jest.useFakeTimers();
    let nowMs = 0;
    const reader = new MovingReader();
    const waiting = waitForPosition(reader, 100n, 50, () => nowMs);
    const outcome = waiting.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    for (let commit = 1; commit <= 20; commit += 1) {
      await Promise.resolve();
      await Promise.resolve();
      reader.position = BigInt(commit);
      readModelCommits.notifyAll();
    }
    nowMs = 60;
    await jest.advanceTimersByTimeAsync(60);
    const error = await outcome;
    expect(error).toBeInstanceOf(ProjectionNotCaughtUp);
    expect(error).toMatchObject({ minPosition: 100n, checkpoint: 20n });
  });
});
