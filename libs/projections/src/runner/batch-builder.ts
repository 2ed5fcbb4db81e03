/**
 * Collects the row changes of a batch of events into one ProjectionBatch (the unit of commit), model by
 * model as registered (../model/registry.ts): an upserted model keeps only the batch's last row per key
 * (one upsert per claim, not per event); an insert-only model keeps every version (asOf must be able to
 * land between any two events).
 */
import { emptyChanges, READ_MODELS, type RowChanges } from '../model/registry';
import type { Checkpoint, ProjectionBatch } from '../store/read-store';

export class BatchBuilder {
  private readonly upserted = new Map<string, Map<string, unknown>>();
  private readonly appended: Record<string, unknown[]> = emptyChanges();
  private to: Checkpoint;

  constructor(
    private readonly generation: number,
    private readonly from: Checkpoint,
  ) {
    this.to = from;
  }

  add(changes: RowChanges, to: Checkpoint): void {
    if (to.position <= this.to.position)
      throw new RangeError(`batch: position ${to.position} is not after ${this.to.position}`);
    for (const model of READ_MODELS) {
      const rows = changes[model.name] as readonly unknown[];
      if (rows.length === 0) continue;
      if (model.write === 'append') {
        // Row by row, not push(...rows): no arguments list per event (issue 13).
        const appended = this.appended[model.name];
        if (appended !== undefined) for (const row of rows) appended.push(row);
        continue;
      }
      const keyOf = model.keyOf as (row: unknown) => string;
      let latest = this.upserted.get(model.name);
      if (latest === undefined) {
        latest = new Map<string, unknown>();
        this.upserted.set(model.name, latest);
      }
      for (const row of rows) latest.set(keyOf(row), row);
    }
    this.to = to;
  }

  get checkpoint(): Checkpoint {
    return this.to;
  }

  build(): ProjectionBatch {
    const rows: Record<string, readonly unknown[]> = { ...this.appended };
    for (const [name, latest] of this.upserted) rows[name] = [...latest.values()];
    return {
      generation: this.generation,
      from: this.from,
      to: this.to,
      rows: rows as unknown as RowChanges,
    };
  }
}
