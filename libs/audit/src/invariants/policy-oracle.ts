/**
 * The decision oracle backed by the real policy engine: every decision is recomputed under the catalog
 * version it recorded (policyId + catalogHash → getCatalog). A catalog whose hash this build does not know
 * cannot be recomputed, and that is itself a finding: the auditor cannot vouch for the decision.
 */
import {
  allocate,
  assess,
  fiscalSplit,
  getCatalog,
  PolicyError,
  type Assessment,
  type FiscalSplit,
  type PolicyCatalog,
} from '@hz/policy';
import { decimal, type Money } from '@hz/money';
import type {
  AllocationRecomputeInput,
  GrantForRecompute,
  DecisionOracle,
  DecisionRecompute,
  DecisionRecomputeInput,
} from './decision-oracle';

/** The oracles policyDecisionOracle made: a worker thread of verify can make its own (no state shared). */
const policyOracles = new WeakSet<DecisionOracle>();

export function isPolicyDecisionOracle(oracle: DecisionOracle): boolean {
  return policyOracles.has(oracle);
}

export function policyDecisionOracle(): DecisionOracle {
  // By policy id, then catalog hash: two lookups of the recorded texts, no key text built per decision.
  const catalogs = new Map<string, Map<string, PolicyCatalog | undefined>>();
  const catalogFor = (policyId: string, catalogHash: string): PolicyCatalog | undefined => {
    let byHash = catalogs.get(policyId);
    if (byHash === undefined) catalogs.set(policyId, (byHash = new Map()));
    if (!byHash.has(catalogHash)) {
      const catalog = getCatalog(policyId);
      byHash.set(catalogHash, catalog?.hash === catalogHash ? catalog : undefined);
    }
    return byHash.get(catalogHash);
  };
  const assessments = new AssessmentMemo();
  const splits = new SplitMemo();
  const oracle: DecisionOracle = {
    recomputeApproval(input: DecisionRecomputeInput): DecisionRecompute {
      const catalog = catalogFor(input.policyId, input.catalogHash);
      if (!catalog) {
        return {
          kind: 'not-recomputable',
          code: 'DECISION.UNKNOWN_CATALOG',
          message: `catalog ${input.policyId}@${input.catalogHash.slice(0, 12)} is not known to this build`,
        };
      }
      let assessment: Assessment;
      let split: FiscalSplit;
      try {
        assessment = assessments.assess(catalog, input);
        split = splits.split(
          catalog,
          input.programCode,
          input.district,
          input.amount,
          input.amountText,
        );
      } catch (error) {
        // A PolicyError here means the log holds inputs the engine refuses (an unknown district or program).
        if (!(error instanceof PolicyError)) throw error;
        return {
          kind: 'not-recomputable',
          code: 'DECISION.NOT_RECOMPUTABLE',
          message: `${error.code}: ${error.message}`,
        };
      }
      // The assessment's caps and the split themselves, not copies of the fields the fold reads: both are
      // the memos' own immutable results (issue 13: a copy per decision was garbage at once).
      return {
        kind: 'recomputed',
        scopeKind: assessment.scopeKind,
        eligible: assessment.eligible,
        ruleAmount: assessment.ruleAmount,
        ceiling: assessment.ceiling,
        caps: assessment.caps,
        split,
      };
    },
    releaseStream(): void {
      assessments.releaseStream();
    },
    recomputeAllocation(input: AllocationRecomputeInput): ReadonlyMap<string, Money> | undefined {
      const catalog = catalogFor(input.policyId, input.catalogHash);
      if (!catalog) return undefined;
      try {
        const rows = allocate(
          catalog,
          input.pool,
          input.scores.map((row) => ({ district: row.district, score: decimal(row.score) })),
        );
        return new Map(rows.map((row) => [row.district, row.amount]));
      } catch (error) {
        // The engine refuses the recorded scores (unknown district, no positive score): not recomputable.
        if (!(error instanceof PolicyError)) throw error;
        return undefined;
      }
    },
  };
  policyOracles.add(oracle);
  return oracle;
}

/**
 * Issue 13: verify recomputes every claim's assessment twice, at its submission and at its approval, and
 * the two usually have the same inputs (the claim as filed, the grants in effect before it: the approval of
 * another of the applicant's claims in between changes them). `assess` is a pure function of the catalog,
 * the filing (program, support year, requested amount, evidence) and those grants; the approval's amount,
 * district and time are not among its inputs (they go to the split). So an approval whose inputs are
 * exactly its submission's reuses that assessment: the same result, computed once. Equality is exact: the
 * catalog object, the claim id, the filed fields and every grant (claim, program, year, subject, and the
 * amount by Money.equals, decimal.js equality: no text is formatted to compare), and the evidence by
 * identity (the one object the fold keeps for the claim). Bounded: the last ASSESSMENTS_KEPT claims (an
 * applicant's claims are read together, in stream order).
 */
const ASSESSMENTS_KEPT = 64;

interface KeptAssessment {
  readonly catalog: PolicyCatalog;
  readonly input: DecisionRecomputeInput;
  readonly assessment: Assessment;
}

class AssessmentMemo {
  private kept = new Map<string, KeptAssessment>();

  /**
   * A stream read to its end: its claims are not met again (each claim is in its applicant's stream), so
   * their assessments are let go with a Map of their own, never promoted with the long-lived oracle and
   * never kept alive through a Map in the old generation, which would make the young generation's
   * collections copy and promote what the stream left (issue 13).
   */
  releaseStream(): void {
    this.kept = new Map();
  }

  assess(catalog: PolicyCatalog, decision: DecisionRecomputeInput): Assessment {
    const input = withGrantsOfItsProgram(decision);
    const hit = this.kept.get(input.claimId);
    if (hit !== undefined && hit.catalog === catalog && sameAssessmentInputs(hit.input, input))
      return hit.assessment;
    const assessment = assess(
      catalog,
      {
        programCode: input.programCode,
        supportYear: input.supportYear,
        requestedAmount: input.requestedAmount,
        evidence: input.evidence,
      },
      input.grantsBefore,
      // The recompute reads the amounts and the scope, never the trace: none is built.
      { trace: false },
    );
    this.kept.delete(input.claimId);
    if (this.kept.size >= ASSESSMENTS_KEPT) {
      const oldest = this.kept.keys().next().value;
      if (oldest !== undefined) this.kept.delete(oldest);
    }
    this.kept.set(input.claimId, { catalog, input, assessment });
    return assessment;
  }
}

/**
 * The decision with only the earlier grants of its own program: `assess` reads no other grant (its scope
 * check and every cap count only grants of the claim's program; docs/policy.md §3), so the assessment is
 * the same (a property spec of libs/policy, assess-properties.unit.spec.ts, holds assess to it over
 * generated claims and grants). An approval whose applicant was granted on another program since the
 * submission then still has its submission's inputs, and reuses its assessment (issue 13).
 */
function withGrantsOfItsProgram(input: DecisionRecomputeInput): DecisionRecomputeInput {
  // A loop rather than every/filter with a closure made per decision (issue 13: the fold calls this on
  // every submission and approval).
  const { grantsBefore, programCode } = input;
  let index = 0;
  while (index < grantsBefore.length && grantsBefore[index]?.programCode === programCode)
    index += 1;
  if (index === grantsBefore.length) return input;
  const own: GrantForRecompute[] = grantsBefore.slice(0, index);
  for (index += 1; index < grantsBefore.length; index += 1) {
    const grant = grantsBefore[index] as GrantForRecompute;
    if (grant.programCode === programCode) own.push(grant);
  }
  return { ...input, grantsBefore: own };
}

/** Every input of `assess`, compared exactly (the claim id is the memo's key). */
export function sameAssessmentInputs(
  kept: DecisionRecomputeInput,
  input: DecisionRecomputeInput,
): boolean {
  if (
    kept.evidence !== input.evidence ||
    kept.programCode !== input.programCode ||
    kept.supportYear !== input.supportYear ||
    !sameMoney(kept.requestedAmount, input.requestedAmount) ||
    kept.grantsBefore.length !== input.grantsBefore.length
  )
    return false;
  for (let index = 0; index < input.grantsBefore.length; index += 1) {
    const a = kept.grantsBefore[index] as GrantForRecompute;
    const b = input.grantsBefore[index] as GrantForRecompute;
    if (
      a.claimId !== b.claimId ||
      a.programCode !== b.programCode ||
      a.supportYear !== b.supportYear ||
      a.subjectKey !== b.subjectKey ||
      !sameMoney(a.amount, b.amount)
    )
      return false;
  }
  return true;
}

/** The fold hands the same Money object on when nothing changed; equals decides otherwise. */
function sameMoney(a: Money, b: Money): boolean {
  return a === b || a.equals(b);
}

/**
 * The fiscal split is a pure function of the catalog, the program, the district and the amount: the
 * splits already computed are kept by those, up to SPLITS_KEPT, then forgotten all at once (a demo
 * ledger has a few hundred distinct ones; the bound keeps a real one flat). They are kept by catalog (the
 * object: one per policy id and hash, see catalogFor), then by program, district and amount, each a map
 * of its own (issue 13: no key text is built per decision, and the catalog's id and 64-character hash are
 * no part of any). The amount's key is the text it was parsed from when the caller has it
 * (DecisionRecomputeInput.amountText: parsing is deterministic, so one text is one amount), else
 * Money.toString; a kept split is also checked to be of an equal amount before it is reused.
 */
const SPLITS_KEPT = 4096;

class SplitMemo {
  /** Catalog, then program, district and amount text: no key text is built per decision (issue 13). */
  private readonly kept = new Map<
    PolicyCatalog,
    Map<string, Map<string, Map<string, FiscalSplit>>>
  >();
  private size = 0;

  split(
    catalog: PolicyCatalog,
    programCode: string,
    district: string,
    amount: Money,
    amountText: string | undefined,
  ): FiscalSplit {
    const text = amountText ?? amount.toString();
    let byText = this.kept.get(catalog)?.get(programCode)?.get(district);
    const hit = byText?.get(text);
    if (hit !== undefined && sameSplitAmount(hit, amount)) return hit;
    const split = fiscalSplit(catalog, programCode, district, amount);
    if (this.size >= SPLITS_KEPT) {
      this.kept.clear();
      this.size = 0;
      byText = undefined;
    }
    if (byText === undefined) byText = this.texts(catalog, programCode, district);
    if (!byText.has(text)) this.size += 1;
    byText.set(text, split);
    return split;
  }

  private texts(
    catalog: PolicyCatalog,
    programCode: string,
    district: string,
  ): Map<string, FiscalSplit> {
    let byProgram = this.kept.get(catalog);
    if (byProgram === undefined) this.kept.set(catalog, (byProgram = new Map()));
    let byDistrict = byProgram.get(programCode);
    if (byDistrict === undefined) byProgram.set(programCode, (byDistrict = new Map()));
    let byText = byDistrict.get(district);
    if (byText === undefined) byDistrict.set(district, (byText = new Map()));
    return byText;
  }
}

/** The split's shares add up to the amount it was computed for (fiscalSplit asserts it). */
function sameSplitAmount(split: FiscalSplit, amount: Money): boolean {
  return split.districtShare.isZero()
    ? sameMoney(split.cityShare, amount)
    : split.cityShare.plus(split.districtShare).equals(amount);
}
