/**
 * Readiness of the read side (docs/operations.md): the read store must answer, an in-process projector
 * must be running, and the active generation may be at most `maxLagEvents` behind the log. The lag is
 * measured from the read store's own checkpoint, so it is shown whether the projector runs in this
 * process or as apps/projector. The error shown is the projector's current one: cleared once it
 * follows again (ProjectionSupervisor), so a recovered projector reports none.
 */
import type { ProjectorStatus } from '@hz/projections';

export interface ProjectionReadiness {
  readonly ok: boolean;
  readonly state: 'absent' | 'running' | 'caught_up' | 'stopped' | 'lagging' | 'unreachable';
  readonly checkpoint: string | null;
  readonly lag: string | null;
  readonly lagSeconds: number | null;
  readonly maxLagEvents: number | null;
  readonly error: string | null;
}

/** What PROJECTION_RUNNER must offer (ProjectionSupervisor does). */
export interface ProjectionStatusSource {
  status(): ProjectorStatus;
}

export interface ReadSideSample {
  /** false when the read store did not answer (in time). */
  readonly reachable: boolean;
  /** The active generation's checkpoint (undefined before the first generation is active). */
  readonly checkpoint?: bigint;
  readonly lagSeconds?: number;
}

export function projectionReadiness(
  source: ProjectionStatusSource | undefined,
  headPosition: bigint | undefined,
  readSide: ReadSideSample | undefined,
  maxLagEvents: number | undefined,
): ProjectionReadiness {
  const status = source?.status();
  const checkpoint = readSide?.checkpoint ?? status?.checkpoint;
  const lagEvents =
    checkpoint !== undefined && headPosition !== undefined
      ? headPosition > checkpoint
        ? headPosition - checkpoint
        : 0n
      : undefined;
  const base = {
    checkpoint: checkpoint?.toString() ?? null,
    lag: lagEvents?.toString() ?? null,
    lagSeconds: lagEvents === undefined ? null : (readSide?.lagSeconds ?? 0),
    maxLagEvents: maxLagEvents ?? null,
    error: status?.error ?? null,
  };
  if (readSide !== undefined && !readSide.reachable)
    return { ok: false, state: 'unreachable', ...base };
  if (status !== undefined && !status.running && !(lagEvents === 0n))
    return { ok: false, state: 'stopped', ...base };
  if (maxLagEvents !== undefined && lagEvents !== undefined && lagEvents > BigInt(maxLagEvents))
    return { ok: false, state: 'lagging', ...base };
  if (lagEvents === 0n) return { ok: true, state: 'caught_up', ...base };
  return {
    ok: true,
    state: status === undefined && readSide === undefined ? 'absent' : 'running',
    ...base,
  };
}
