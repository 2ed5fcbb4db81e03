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
  const catalogs = new Map<string, PolicyCatalog | undefined>();
  const catalogFor = (policyId: string, catalogHash: string): PolicyCatalog | undefined => {
    const key = `${policyId}@${catalogHash}`;
    if (!catalogs.has(key)) {
      const catalog = getCatalog(policyId);
      catalogs.set(key, catalog?.hash === catalogHash ? catalog : undefined);
    }
    return catalogs.get(key);
  };
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
      const draft = {
        programCode: input.programCode,
        supportYear: input.supportYear,
        requestedAmount: input.requestedAmount,
        evidence: input.evidence,
      };
      let assessment: Assessment;
      let split: FiscalSplit;
      try {
        assessment = assess(catalog, draft, input.grantsBefore);
        split = fiscalSplit(catalog, input.programCode, input.district, input.amount);
      } catch (error) {
        // A PolicyError here means the log holds inputs the engine refuses (an unknown district or program).
        if (!(error instanceof PolicyError)) throw error;
        return {
          kind: 'not-recomputable',
          code: 'DECISION.NOT_RECOMPUTABLE',
          message: `${error.code}: ${error.message}`,
        };
      }
      return {
        kind: 'recomputed',
        scopeKind: assessment.scopeKind,
        eligible: assessment.eligible,
        ruleAmount: assessment.ruleAmount,
        ceiling: assessment.ceiling,
        caps: assessment.caps.map((cap) => ({
          capId: cap.capId,
          cap: cap.cap,
          granted: cap.granted,
        })),
        split: {
          cityShare: split.cityShare,
          districtShare: split.districtShare,
          cityRate: split.cityRate,
          districtGroup: split.districtGroup,
        },
      };
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
