/** Rows ↔ SQLite columns. Integers are read as bigint (safeIntegers) and narrowed where they are small. */
import type {
  ApplicantRow,
  AuditEntry,
  AwardRow,
  CapRef,
  CapRow,
  ClaimStatus,
  ClaimSummary,
  FiscalBucket,
} from '../model/rows';

export type SqlValue = string | number | bigint | null;
export type SqlRow = Record<string, SqlValue>;

export function claimParams(c: ClaimSummary): SqlValue[] {
  const s = c.split;
  return [
    c.claimId,
    c.applicant,
    c.programCode,
    c.supportYear,
    c.subjectKey,
    c.status,
    c.requestedAmount,
    c.approvedAmount,
    c.countersignRequired ? 1 : 0,
    s?.funding ?? null,
    s?.district ?? null,
    s?.districtGroup ?? null,
    s?.cityRate ?? null,
    s?.cityShare ?? null,
    s?.districtShare ?? null,
    JSON.stringify(c.caps),
    c.paid.city,
    c.paid.district,
    c.cancelled.city,
    c.cancelled.district,
    c.receivable.city,
    c.receivable.district,
    c.recovered.city,
    c.recovered.district,
    c.submittedPosition,
    c.submittedAt,
    c.lastPosition,
    c.lastRecordedAt,
    c.lastEventType,
  ];
}

export const CLAIM_COLUMNS = [
  'claim_id',
  'applicant',
  'program_code',
  'support_year',
  'subject_key',
  'status',
  'requested_amount',
  'approved_amount',
  'countersign_required',
  'split_funding',
  'split_district',
  'split_group',
  'split_city_rate',
  'split_city_share',
  'split_district_share',
  'caps_json',
  'paid_city',
  'paid_district',
  'cancelled_city',
  'cancelled_district',
  'receivable_city',
  'receivable_district',
  'recovered_city',
  'recovered_district',
  'submitted_position',
  'submitted_at',
  'last_position',
  'last_recorded_at',
  'last_event_type',
] as const;

export function claimFromRow(r: SqlRow): ClaimSummary {
  const funding = r['split_funding'] as 'split' | 'city' | null;
  return {
    claimId: str(r, 'claim_id'),
    applicant: str(r, 'applicant'),
    programCode: str(r, 'program_code'),
    supportYear: Number(r['support_year']),
    subjectKey: strOrNull(r, 'subject_key'),
    status: str(r, 'status') as ClaimStatus,
    requestedAmount: str(r, 'requested_amount'),
    approvedAmount: strOrNull(r, 'approved_amount'),
    countersignRequired: Number(r['countersign_required']) === 1,
    split:
      funding === null
        ? null
        : {
            funding,
            district: str(r, 'split_district'),
            districtGroup: strOrNull(r, 'split_group') as 'A' | 'B' | null,
            cityRate: str(r, 'split_city_rate'),
            cityShare: str(r, 'split_city_share'),
            districtShare: str(r, 'split_district_share'),
          },
    caps: JSON.parse(str(r, 'caps_json')) as CapRef[],
    paid: { city: str(r, 'paid_city'), district: str(r, 'paid_district') },
    cancelled: { city: str(r, 'cancelled_city'), district: str(r, 'cancelled_district') },
    receivable: { city: str(r, 'receivable_city'), district: str(r, 'receivable_district') },
    recovered: { city: str(r, 'recovered_city'), district: str(r, 'recovered_district') },
    submittedPosition: big(r, 'submitted_position'),
    submittedAt: str(r, 'submitted_at'),
    lastPosition: big(r, 'last_position'),
    lastRecordedAt: str(r, 'last_recorded_at'),
    lastEventType: str(r, 'last_event_type'),
  };
}

export function applicantParams(a: ApplicantRow): SqlValue[] {
  return [a.uscc, a.name, a.district, a.position];
}

export function applicantFromRow(r: SqlRow): ApplicantRow {
  return {
    uscc: str(r, 'uscc'),
    name: str(r, 'name'),
    district: str(r, 'district'),
    position: big(r, 'position'),
  };
}

export function awardParams(a: AwardRow): SqlValue[] {
  return [a.applicant, a.programCode, a.claimId, a.amount, a.status, a.position];
}

export function awardFromRow(r: SqlRow): AwardRow {
  return {
    applicant: str(r, 'applicant'),
    programCode: str(r, 'program_code'),
    claimId: str(r, 'claim_id'),
    amount: str(r, 'amount'),
    status: str(r, 'status') as ClaimStatus,
    position: big(r, 'position'),
  };
}

export function auditParams(e: AuditEntry): SqlValue[] {
  return [
    e.claimId,
    e.position,
    e.revision,
    e.streamId,
    e.eventId,
    e.type,
    e.actor,
    e.role,
    e.occurredAt,
    e.recordedAt,
    e.hash,
    e.prevHash,
    e.dataJson,
  ];
}

export function auditFromRow(r: SqlRow): AuditEntry {
  return {
    claimId: str(r, 'claim_id'),
    position: big(r, 'position'),
    revision: big(r, 'revision'),
    streamId: str(r, 'stream_id'),
    eventId: str(r, 'event_id'),
    type: str(r, 'type'),
    actor: str(r, 'actor'),
    role: str(r, 'role'),
    occurredAt: str(r, 'occurred_at'),
    recordedAt: str(r, 'recorded_at'),
    hash: str(r, 'hash'),
    prevHash: str(r, 'prev_hash'),
    dataJson: str(r, 'data_json'),
  };
}

export function capParams(c: CapRow): SqlValue[] {
  return [
    c.applicant,
    c.capId,
    c.position,
    c.recordedAtMs,
    c.kind,
    c.programCode,
    c.supportYear,
    c.subjectKey,
    c.cap,
    c.granted,
    c.paid,
  ];
}

export function capFromRow(r: SqlRow): CapRow {
  return {
    applicant: str(r, 'applicant'),
    capId: str(r, 'cap_id'),
    position: big(r, 'position'),
    recordedAtMs: Number(r['recorded_at_ms']),
    kind: str(r, 'kind'),
    programCode: str(r, 'program_code'),
    supportYear: r['support_year'] === null ? null : Number(r['support_year']),
    subjectKey: strOrNull(r, 'subject_key'),
    cap: strOrNull(r, 'cap'),
    granted: str(r, 'granted'),
    paid: str(r, 'paid'),
  };
}

export function fiscalParams(f: FiscalBucket): SqlValue[] {
  return [
    f.funder,
    f.month,
    f.clause,
    f.recordedAtMs,
    f.position,
    f.committed,
    f.disbursed,
    f.cancelled,
    f.receivable,
    f.recovered,
  ];
}

export function fiscalFromRow(r: SqlRow): FiscalBucket {
  return {
    funder: str(r, 'funder'),
    month: str(r, 'month'),
    clause: str(r, 'clause'),
    recordedAtMs: Number(r['recorded_at_ms']),
    position: big(r, 'position'),
    committed: str(r, 'committed'),
    disbursed: str(r, 'disbursed'),
    cancelled: str(r, 'cancelled'),
    receivable: str(r, 'receivable'),
    recovered: str(r, 'recovered'),
  };
}

function str(r: SqlRow, column: string): string {
  const value = r[column];
  if (typeof value !== 'string')
    throw new TypeError(`column ${column}: expected text, got ${typeof value}`);
  return value;
}

function strOrNull(r: SqlRow, column: string): string | null {
  return r[column] === null ? null : str(r, column);
}

function big(r: SqlRow, column: string): bigint {
  const value = r[column];
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`column ${column}: expected an integer`);
}
