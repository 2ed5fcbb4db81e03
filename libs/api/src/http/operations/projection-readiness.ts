/**
 * Readiness of the in-process projections: ready while they run (a catch-up after a restart is fine:
 * queries wait with X-Min-Position) or once caught up with the log; not ready when the follower stopped.
 * Absent (no projections wired into this process) is ready: the write side does not need them.
 */
import type { ProjectorStatus } from '@hz/projections';

export interface ProjectionReadiness {
  readonly ok: boolean;
  readonly state: 'absent' | 'running' | 'caught_up' | 'stopped';
  readonly checkpoint: string | null;
  readonly lag: string | null;
  readonly error: string | null;
}

/** What PROJECTION_RUNNER must offer (ProjectionSupervisor does). */
export interface ProjectionStatusSource {
  status(): ProjectorStatus;
}

export function projectionReadiness(source: ProjectionStatusSource | undefined, headPosition: bigint | undefined): ProjectionReadiness {
  if (source === undefined) return { ok: true, state: 'absent', checkpoint: null, lag: null, error: null };
  const status = source.status();
  const checkpoint = status.checkpoint;
  const caughtUp = checkpoint !== undefined && headPosition !== undefined && checkpoint >= headPosition;
  const lag = checkpoint !== undefined && headPosition !== undefined && headPosition > checkpoint ? (headPosition - checkpoint).toString() : null;
  const state = caughtUp ? 'caught_up' : status.running ? 'running' : 'stopped';
  return { ok: state !== 'stopped', state, checkpoint: checkpoint?.toString() ?? null, lag, error: status.error };
}
