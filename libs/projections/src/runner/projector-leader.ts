/**
 * Leader election for apps/projector (docs/operations.md, "Projector failover"): every projector process
 * runs one of these; the one holding the lease runs the ProjectionSupervisor with the lease as the fence
 * of every commit, the others stand by and poll. The leader renews every `renewEveryMs`; a standby takes
 * over at most ttlMs + pollMs after the leader's last renewal (killed, stalled, or cut off). A leader that
 * finds its lease gone stops projecting at once; one whose renewals keep failing stops once its lease
 * has expired by its own count. Correctness does not depend on these timings: the fence does.
 */
import type { EventStore } from '@hz/event-store';
import type { ReadStore } from '../store/read-store';
import {
  ProjectionSupervisor,
  type ProjectorStatus,
  type SupervisorOptions,
} from './projection-supervisor';
import type { LeaseFence, ProjectorLease } from './projector-lease';
import { describeError, sleep } from './abortable';

export interface LeaderOptions extends Omit<SupervisorOptions, 'fence'> {
  readonly ttlMs: number;
  /** Default ttlMs / 3. */
  readonly renewEveryMs?: number;
  /** How often a standby tries to take the lease; default ttlMs / 3. */
  readonly pollMs?: number;
  /** Structured events (role changes); `log` still gets the supervisor's messages. */
  readonly onEvent?: (event: LeaderEvent) => void;
}

export type LeaderEvent =
  | { readonly event: 'lease.acquired'; readonly epoch: number }
  | { readonly event: 'lease.lost'; readonly epoch: number; readonly reason: string }
  | { readonly event: 'lease.released'; readonly epoch: number }
  | { readonly event: 'lease.error'; readonly message: string };

export interface LeaderStatus {
  readonly role: 'leader' | 'standby' | 'stopped';
  readonly epoch: number | undefined;
  readonly projector: ProjectorStatus | undefined;
}

export class ProjectorLeader {
  private fence: LeaseFence | undefined;
  private supervisor: ProjectionSupervisor | undefined;
  private loop: Promise<void> | undefined;
  private readonly controller = new AbortController();

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    private readonly lease: ProjectorLease,
    private readonly options: LeaderOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops projecting and releases the lease (a standby takes over at its next poll). */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  /** A rebuild beside the live generation (ProjectionSupervisor.rebuild); only the leader may. */
  async rebuild(): Promise<ReturnType<ProjectionSupervisor['rebuild']>> {
    const supervisor = this.supervisor;
    if (supervisor === undefined || this.fence === undefined)
      throw new Error('only the projector holding the lease can rebuild');
    return supervisor.rebuild();
  }

  status(): LeaderStatus {
    if (this.controller.signal.aborted)
      return { role: 'stopped', epoch: undefined, projector: undefined };
    return {
      role: this.fence ? 'leader' : 'standby',
      epoch: this.fence?.epoch,
      projector: this.supervisor?.status(),
    };
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    const pollMs = this.options.pollMs ?? Math.max(50, Math.floor(this.options.ttlMs / 3));
    while (!signal.aborted) {
      let fence: LeaseFence | undefined;
      try {
        fence = await this.lease.tryAcquire();
      } catch (error) {
        this.emit({ event: 'lease.error', message: describeError(error) });
      }
      if (fence === undefined) {
        await sleep(pollMs, signal);
        continue;
      }
      await this.lead(fence, signal);
    }
  }

  private async lead(fence: LeaseFence, signal: AbortSignal): Promise<void> {
    this.fence = fence;
    this.emit({ event: 'lease.acquired', epoch: fence.epoch });
    const supervisor = new ProjectionSupervisor(this.events, this.store, {
      ...this.options,
      fence: () => this.fence,
    });
    this.supervisor = supervisor;
    const renewEveryMs =
      this.options.renewEveryMs ?? Math.max(50, Math.floor(this.options.ttlMs / 3));
    let validUntil = Date.now() + this.options.ttlMs;
    let lostReason: string | undefined;
    try {
      await supervisor.start();
      while (!signal.aborted && lostReason === undefined) {
        await sleep(renewEveryMs, signal);
        if (signal.aborted) break;
        const renewedAt = Date.now();
        try {
          if (await this.lease.renew(fence)) validUntil = renewedAt + this.options.ttlMs;
          else lostReason = 'taken over after expiry';
        } catch (error) {
          if (Date.now() >= validUntil)
            lostReason = `renewals failed until expiry: ${describeError(error)}`;
        }
      }
    } catch (error) {
      lostReason = `projector failed to start: ${describeError(error)}`;
    }
    this.fence = undefined;
    await supervisor.stop();
    this.supervisor = undefined;
    if (lostReason !== undefined) {
      this.emit({ event: 'lease.lost', epoch: fence.epoch, reason: lostReason });
      return;
    }
    await this.lease.release(fence).catch(() => undefined);
    this.emit({ event: 'lease.released', epoch: fence.epoch });
  }

  private emit(event: LeaderEvent): void {
    this.options.onEvent?.(event);
  }
}
