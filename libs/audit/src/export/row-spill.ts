/**
 * A scratch SQLite file the export spills its rows to as it collects them (the facts as the replay reads
 * the log, the claims as they are paged out of the scratch read store), read back in the order they were
 * pushed when a sheet is written, as often as the writer asks (a width sample, the totals, the data).
 * What stays in memory is one batch of pending rows, so the export's peak no longer grows with the ledger
 * (issue 13; docs/benchmarks.md "Export, streamed"; docs/architecture.md §6, "The export, streamed").
 *
 * The file is a throwaway: no journal, no fsync; `close()` deletes it. Rows are stored as their JSON
 * text: cell values are strings, numbers or null, which JSON gives back exactly (and in the same key order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Rows } from './workbook';

/** Rows buffered before one insert transaction: large enough to amortise the commit, small in memory. */
const SPILL_BATCH = 1000;

export class RowSpill {
  /** The scratch directory holding the file (deleted by close()). */
  readonly directory: string;
  private readonly db: Database.Database;
  private lists = 0;
  private closed = false;

  constructor() {
    this.directory = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    this.db = new Database(join(this.directory, 'export-rows.db'));
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
  }

  /** A new, empty list of rows in this file. */
  list<T>(): SpilledRows<T> {
    this.lists += 1;
    return new SpilledRows<T>(this.db, `rows_${this.lists}`);
  }

  /** Closes and deletes the file; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

export class SpilledRows<T> implements Rows<T> {
  private pending: string[] = [];
  private count = 0;
  private readonly insert: Database.Statement<[string]>;
  private readonly select: Database.Statement<[], { row: string }>;
  private readonly insertPending: (rows: readonly string[]) => void;

  constructor(db: Database.Database, table: string) {
    db.exec(`CREATE TABLE ${table} (seq INTEGER PRIMARY KEY, row TEXT NOT NULL)`);
    this.insert = db.prepare(`INSERT INTO ${table} (row) VALUES (?)`);
    this.select = db.prepare(`SELECT row FROM ${table} ORDER BY seq`);
    this.insertPending = db.transaction((rows: readonly string[]) => {
      for (const row of rows) this.insert.run(row);
    });
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.pending.push(JSON.stringify(item));
    this.count += 1;
    if (this.pending.length >= SPILL_BATCH) this.flush();
  }

  /** In push order; a reader that stops early (a width sample) closes its cursor. */
  *[Symbol.iterator](): Iterator<T> {
    this.flush();
    for (const { row } of this.select.iterate()) yield JSON.parse(row) as T;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.insertPending(rows);
  }
}
