/** Where the auditor's HTTP module keeps the sealing key and the checkpoints it writes. */
export const AUDIT_HTTP_OPTIONS = Symbol.for('hz.AuditHttpOptions');

export interface AuditHttpOptions {
  /** The data dir (LEDGER_DATA_DIR): the sealing key pair is created there on first use. */
  readonly dataDir: string;
}
