/** Operator settings of the health and metrics routes (docs/operations.md), provided by the app. */
export const OPERATIONS_OPTIONS = Symbol.for('hz.OperationsOptions');

export interface OperationsOptions {
  /** LEDGER_READY_MAX_LAG_EVENTS: /health/ready answers 503 when the read models are further behind. */
  readonly readyMaxLagEvents?: number;
  /** LEDGER_METRICS_TOKEN: GET /api/v1/metrics then needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** LEDGER_METRICS_PORT: metrics are served on that port only; /api/v1/metrics answers 404. */
  readonly metricsPort?: number;
}

export const READY_MAX_LAG_EVENTS_DEFAULT = 10_000;
