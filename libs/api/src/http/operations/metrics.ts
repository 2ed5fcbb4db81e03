/**
 * Prometheus text exposition of a few counters, without a client library: requests by method, route
 * template and status, and events appended through this process.
 */
import { Injectable } from '@nestjs/common';
import type { AppendOptions, AppendResult, EventStore, NewEvent } from '@hz/event-store';

/** Route templates are bounded (one per controller method); anything else is lumped together. */
const MAX_SERIES = 500;

@Injectable()
export class MetricsRegistry {
  private readonly requests = new Map<string, bigint>();
  private eventsAppended = 0n;
  private appendFailures = 0n;
  private rateLimited = 0n;

  countRequest(method: string, route: string, status: number): void {
    const labels = `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status="${status}"`;
    const key = this.requests.has(labels) || this.requests.size < MAX_SERIES ? labels : `method="other",route="other",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0n) + 1n);
  }

  countAppended(events: number): void {
    this.eventsAppended += BigInt(events);
  }

  countAppendFailure(): void {
    this.appendFailures += 1n;
  }

  countRateLimited(): void {
    this.rateLimited += 1n;
  }

  render(headPosition: bigint | undefined): string {
    const lines = [
      '# HELP ledger_http_requests_total HTTP requests by method, route template and status.',
      '# TYPE ledger_http_requests_total counter',
      ...[...this.requests.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([labels, count]) => `ledger_http_requests_total{${labels}} ${count}`),
      '# HELP ledger_events_appended_total Events in successful appends by this process (idempotent replays included).',
      '# TYPE ledger_events_appended_total counter',
      `ledger_events_appended_total ${this.eventsAppended}`,
      '# HELP ledger_event_store_append_failures_total Appends refused or failed (version conflicts included).',
      '# TYPE ledger_event_store_append_failures_total counter',
      `ledger_event_store_append_failures_total ${this.appendFailures}`,
      '# HELP ledger_http_rate_limited_total Requests refused with 429 by the rate limiter.',
      '# TYPE ledger_http_rate_limited_total counter',
      `ledger_http_rate_limited_total ${this.rateLimited}`,
    ];
    if (headPosition !== undefined) {
      lines.push('# HELP ledger_event_store_head_position Global position of the last event in the log.');
      lines.push('# TYPE ledger_event_store_head_position gauge', `ledger_event_store_head_position ${headPosition}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Wraps a store so that appends are counted; everything else passes straight through. */
export function instrumentEventStore(store: EventStore, metrics: MetricsRegistry): EventStore {
  return {
    async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
      try {
        const result = await store.appendToStream(streamId, events, options);
        metrics.countAppended(events.length);
        return result;
      } catch (error) {
        metrics.countAppendFailure();
        throw error;
      }
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
