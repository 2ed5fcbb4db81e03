/**
 * Policy amendments (docs/policy.md §11): the catalog versions a ledger applies, each in force from a date.
 * A claim is assessed under the version in force on its submission date (Hangzhou calendar date) and
 * records it (policyId + catalogHash); a decision and the auditor then use the version the claim recorded,
 * never "the current one". The effective date belongs to the schedule, not to the catalog content, so
 * declaring an amendment never changes the hash of the versions before it.
 */
import type { IsoDate, PolicyCatalog } from './catalog-types';
import { isIsoDate } from './dates';

export interface PolicyVersion {
  readonly catalog: PolicyCatalog;
  /** First Hangzhou calendar date on which claims are assessed under this version. */
  readonly effectiveFrom: IsoDate;
}

/** The versions in effective-date order; each is in force until the day before the next one starts. */
export interface PolicySchedule {
  readonly versions: readonly PolicyVersion[];
}

/** A version with the last day it was in force (null: still in force). */
export interface ScheduledVersion extends PolicyVersion {
  readonly effectiveTo: IsoDate | null;
}

export function policySchedule(versions: readonly PolicyVersion[]): PolicySchedule {
  if (versions.length === 0) throw new RangeError('a policy schedule needs at least one version');
  const keys = new Set<string>();
  versions.forEach((version, index) => {
    if (!isIsoDate(version.effectiveFrom))
      throw new RangeError(`effectiveFrom ${version.effectiveFrom} is not a YYYY-MM-DD date`);
    const previous = versions[index - 1];
    if (previous !== undefined && previous.effectiveFrom >= version.effectiveFrom)
      throw new RangeError('policy versions must be listed in strictly increasing effectiveFrom');
    const key = versionKey(version.catalog.id, version.catalog.hash);
    if (keys.has(key)) throw new RangeError(`catalog ${version.catalog.id} is scheduled twice`);
    keys.add(key);
  });
  return { versions: [...versions] };
}

/** A single catalog, in force from the start of its policy window. */
export function singleVersionSchedule(catalog: PolicyCatalog): PolicySchedule {
  return policySchedule([{ catalog, effectiveFrom: catalog.validFrom }]);
}

/**
 * The version in force on a Hangzhou calendar date. Before the first effective date the first version
 * applies (its own rules, such as the policy window, then refuse what they refuse).
 */
export function catalogInForce(schedule: PolicySchedule, date: IsoDate): PolicyCatalog {
  let inForce = schedule.versions[0] as PolicyVersion;
  for (const version of schedule.versions) if (version.effectiveFrom <= date) inForce = version;
  return inForce.catalog;
}

/** The version a claim, decision or plan recorded (policyId + catalogHash); undefined when not scheduled. */
export function scheduledCatalog(
  schedule: PolicySchedule,
  policyId: string,
  catalogHash: string,
): PolicyCatalog | undefined {
  return schedule.versions.find(
    (version) => version.catalog.id === policyId && version.catalog.hash === catalogHash,
  )?.catalog;
}

/** Every version with its dates, for GET /policies. */
export function scheduledVersions(schedule: PolicySchedule): ScheduledVersion[] {
  return schedule.versions.map((version, index) => {
    const next = schedule.versions[index + 1];
    return { ...version, effectiveTo: next === undefined ? null : dayBefore(next.effectiveFrom) };
  });
}

function versionKey(policyId: string, hash: string): string {
  return `${policyId}@${hash}`;
}

function dayBefore(date: IsoDate): IsoDate {
  const ms = Date.parse(`${date}T00:00:00Z`) - 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}
