/**
 * The auditor's own model of the ledger, built independently of the deciders: the same events, folded
 * by a second implementation, so a bug in a decider cannot hide itself from the audit.
 */
import { Money } from '@hz/money';
import { PAYMENT_CHANNELS, type ClaimFiling, type Funder, type PaymentChannel } from '@hz/ledger';

export type AuditedClaimStatus =
  'submitted' | 'pending_countersign' | 'approved' | 'rejected' | 'withdrawn' | 'revoked';

export type PerFunder = { city: Money; district: Money };

export const zeroPerFunder = (): PerFunder => ({ city: Money.ZERO, district: Money.ZERO });

export interface AuditedGrant {
  readonly amount: Money;
  readonly share: Readonly<PerFunder>;
  readonly district: string;
  readonly approvedBy: string;
  countersignedBy: string | null;
}

/** A claim as the auditor folds it: the filed fields (ClaimFiling, @hz/ledger events.ts) and its own status. */
export interface AuditedClaim extends ClaimFiling<Money> {
  status: AuditedClaimStatus;
  grant: AuditedGrant | null;
  readonly paid: PerFunder;
  receivable: PerFunder;
  readonly recovered: PerFunder;
}

export interface AuditedApplicant {
  readonly uscc: string;
  district: string;
  flagged: boolean;
}

export interface AuditedPlan {
  readonly planId: string;
  readonly allocations: ReadonlyMap<string, Money>;
  readonly paid: Map<string, Money>;
}

/** The grant a claim holds against caps: reserved while awaiting countersignature, or approved. */
export function holdsGrant(claim: AuditedClaim): boolean {
  return (
    claim.grant !== null && (claim.status === 'approved' || claim.status === 'pending_countersign')
  );
}

export function addTo(totals: PerFunder, funder: Funder, amount: Money): void {
  totals[funder] = totals[funder].plus(amount);
}

/** Thrown when a stored event is not even well formed (a tampered amount); reported, never fatal. */
export class MalformedEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEvent';
  }
}

/**
 * Amounts already parsed, by their text, up to MONEY_TEXTS_KEPT, then forgotten all at once (issue 13:
 * verify parses about 1.5 amounts per event, and a ledger repeats its amounts: 84% of the 74,267 parses of
 * the 50k demo were of a text parsed before). Parsing is a pure function of the text and Money is
 * immutable, so a kept Money is the value a fresh parse gives. Only well-formed texts are kept: a
 * malformed one is parsed, and reported, every time.
 */
const MONEY_TEXTS_KEPT = 4096;
let moneyTexts = new Map<string, Money>();

export function moneyField(value: unknown, field: string): Money {
  if (typeof value === 'string') {
    const kept = moneyTexts.get(value);
    if (kept !== undefined) return kept;
  }
  const parsed = Money.tryParse(value);
  if (!parsed.ok) throw new MalformedEvent(`${field}: ${parsed.error.message}`);
  if (typeof value === 'string') {
    if (moneyTexts.size >= MONEY_TEXTS_KEPT) moneyTexts = new Map();
    moneyTexts.set(value, parsed.value);
  }
  return parsed.value;
}

export function funderField(value: unknown): Funder {
  if (value !== 'city' && value !== 'district')
    throw new MalformedEvent(`funder: "${String(value)}" is neither city nor district`);
  return value;
}

/** DisbursementRecorded v2's channel; a v1 event reaches here upcast to 'unrecorded' (stored-event.ts). */
export function channelField(value: unknown): PaymentChannel {
  if (!(PAYMENT_CHANNELS as readonly unknown[]).includes(value))
    throw new MalformedEvent(
      `channel: "${String(value)}" is not one of ${PAYMENT_CHANNELS.join(', ')}`,
    );
  return value as PaymentChannel;
}
