/**
 * One active projector per read store (docs/operations.md, "Projector failover"): a lease row in the read
 * store itself, with an expiry and an epoch. A projector may write only while it holds the lease; a
 * standby takes it once it has expired (the holder died or stalled), which bumps the epoch. Every batch
 * commit checks, in its own transaction, that the lease still carries the committer's epoch (the fence),
 * so a paused old leader that wakes up after losing the lease cannot commit anything.
 */

/** What a commit carries to prove it comes from the current lease holder. */
export interface LeaseFence {
  readonly name: string;
  readonly holder: string;
  readonly epoch: number;
}

export interface ProjectorLease {
  /** Takes the lease if it is free, expired or already ours (the epoch goes up); undefined when another holds it. */
  tryAcquire(): Promise<LeaseFence | undefined>;
  /** Extends our lease by the TTL; false when it is no longer ours (taken over after expiry). */
  renew(fence: LeaseFence): Promise<boolean>;
  /** Lets a standby take over at once (a clean stop), if the lease is still ours. */
  release(fence: LeaseFence): Promise<void>;
  close(): Promise<void>;
}

/** The default lease name: one active projector per read store. */
export const PROJECTOR_LEASE_NAME = 'projector';
/** Default lease time to live; a standby takes over at most TTL + poll interval after the leader's last renewal. */
export const PROJECTOR_LEASE_TTL_DEFAULT_MS = 5000;

export class LeaseLost extends Error {
  readonly code = 'PROJECTION.LEASE_LOST';
  constructor(
    readonly fence: LeaseFence,
    readonly current: { readonly holder: string; readonly epoch: number } | undefined,
  ) {
    super(
      `projector lease "${fence.name}" epoch ${fence.epoch} is no longer held by ${fence.holder} (now ${current ? `epoch ${current.epoch}, ${current.holder}` : 'absent'}): commit refused`,
    );
    this.name = 'LeaseLost';
  }
}

/** Checks a stored lease row against the fence a batch carries; throws LeaseLost when they differ. */
export function assertFence(
  fence: LeaseFence,
  row: { holder: string; epoch: number | bigint | string } | undefined,
): void {
  const current = row === undefined ? undefined : { holder: row.holder, epoch: Number(row.epoch) };
  if (current === undefined || current.holder !== fence.holder || current.epoch !== fence.epoch)
    throw new LeaseLost(fence, current);
}
