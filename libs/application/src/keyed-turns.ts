/**
 * Tasks under one key take turns within this process: each starts after the previous one under the
 * same key has settled (resolved or rejected); tasks under other keys run freely. The map holds a key
 * only while tasks for it are queued, so it stays as small as the work in flight.
 */
export class KeyedTurns {
  private readonly tails = new Map<string, Promise<void>>();

  /** True while a task under this key is queued or running. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
