/** Where the auditor's HTTP module keeps the sealing key, the checkpoints it writes and its jobs. */
export const AUDIT_HTTP_OPTIONS = Symbol.for('hz.AuditHttpOptions');

export interface AuditHttpOptions {
  /** The data dir (LEDGER_DATA_DIR): the sealing key pair is created there on first use. */
  readonly dataDir: string;
  /** LEDGER_JOBS_DIR: the job records and results (default `<dataDir>/jobs`). */
  readonly jobsDir?: string;
  /** LEDGER_JOBS_MAX_CONCURRENT: jobs running at once; one more is refused 503 AUDIT.JOBS_BUSY. */
  readonly maxConcurrentJobs?: number;
}
