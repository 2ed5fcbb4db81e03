/**
 * Finance: the shares still to pay on approved claims, the form that records a disbursement, and a fiscal
 * year's post-close adjustments listed apart (docs/operations.md "Period close").
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  getClaim,
  getPeriodAdjustments,
  listAllClaims,
  recordDisbursement,
} from '../api/endpoints';
import type { ClaimDetail, PeriodAdjustments } from '../api/endpoints';
import type { ClaimListItem, ClaimWriteResult, FunderAmounts } from '../api/endpoints';
import {
  ErrorNotice,
  Ident,
  Loaded,
  LoadedPanel,
  MoneyCell,
  StatusBadge,
  useLoad,
  TableHead,
  YearPicker,
} from '../components/common';
import { SharesTable } from '../components/SharesTable';
import { useCommand } from '../components/useCommand';
import { useI18n } from '../i18n/i18n';
import { formatMoney, isMoneyString, minusMoney, sumMoney, toFen } from '../lib/money';
import { hrefFor } from '../lib/router';
import { districtName, programName, todayBeijing } from '../lib/reference';

interface Payable {
  readonly claim: ClaimListItem;
  readonly district: string | null;
  readonly toPay: FunderAmounts;
}

/** The list is bounded: at most this many pages of approved claims are read (200 a page). */
const MAX_PAGES = 50;
const PAGE_SIZE = 200;
/** Rows shown; the totals count every payable claim. */
const ROWS_SHOWN = 100;

/**
 * Approved claims with a share still to pay, newest first. The queue has no "outstanding" filter, so
 * approved claims are paged through and filtered here (see the report to the lead).
 */
async function loadPayables(signal: AbortSignal): Promise<readonly Payable[]> {
  const approved = await listAllClaims({ status: 'approved', limit: PAGE_SIZE }, signal, MAX_PAGES);
  const payables: Payable[] = [];
  for (const claim of approved) {
    if (!claim.split || !claim.paid) continue;
    const toPay = remaining(
      { city: claim.split.cityShare, district: claim.split.districtShare },
      claim.paid,
    );
    if (toFen(toPay.city) > 0n || toFen(toPay.district) > 0n)
      payables.push({ claim, district: claim.split.district, toPay });
  }
  return payables.reverse();
}

function remaining(shares: FunderAmounts, paid: FunderAmounts): FunderAmounts {
  return {
    city: minusMoney(shares.city, paid.city),
    district: minusMoney(shares.district, paid.district),
  };
}

export function FinanceView({ claimId }: { readonly claimId: string | null }): ReactNode {
  const { t } = useI18n();
  const payables = useLoad(loadPayables, []);
  const selected = useLoad(
    (signal) => (claimId ? getClaim(claimId, signal) : Promise.resolve(null)),
    [claimId],
  );
  const [done, setDone] = useState<{ amount: string; funder: string } | null>(null);
  return (
    <section data-view="finance">
      <h1>{t('finance.title')}</h1>
      {claimId ? (
        <section className="panel" data-testid="selected-claim">
          <Loaded result={selected.result} reload={selected.reload}>
            {(claim) => (claim ? <ClaimShares claim={claim} /> : null)}
          </Loaded>
        </section>
      ) : null}
      <DisbursementForm
        key={claimId ?? ''}
        claimId={claimId}
        onDone={(amount, funder) => {
          setDone({ amount, funder });
          selected.reload();
          payables.reload();
        }}
      />
      {done ? (
        <p className="notice ok" role="status" data-testid="disbursement-done">
          {t('finance.done', { amount: formatMoney(done.amount), funder: done.funder })}
        </p>
      ) : null}
      <LoadedPanel title={t('finance.toPay')} load={payables}>
        {(rows) => <PayableTable rows={rows} />}
      </LoadedPanel>
      <AdjustmentsPanel />
    </section>
  );
}

/** The last five fiscal years, the one before the current first (the year usually closed). */
function closableYears(): readonly number[] {
  const current = Number(todayBeijing().slice(0, 4));
  return [current - 1, current, current - 2, current - 3, current - 4];
}

/** A fiscal year's post-close adjustments (GET /periods/{year}/adjustments): never in the figures above. */
function AdjustmentsPanel(): ReactNode {
  const { t } = useI18n();
  const years = closableYears();
  const [year, setYear] = useState(years[0] ?? 2024);
  const adjustments = useLoad((signal) => getPeriodAdjustments(String(year), signal), [year]);
  return (
    <section className="panel" data-testid="post-close-adjustments">
      <h2>{t('finance.adjustments')}</h2>
      <p className="muted">{t('finance.adjustmentsNote')}</p>
      <YearPicker year={year} onChange={setYear} years={[...years].sort()} />
      <Loaded result={adjustments.result} reload={adjustments.reload}>
        {(listed) => <AdjustmentTable listed={listed} />}
      </Loaded>
    </section>
  );
}

function AdjustmentTable({ listed }: { readonly listed: PeriodAdjustments }): ReactNode {
  const { t } = useI18n();
  const funderLabel = (funder: string) =>
    funder === 'city' ? t('funder.city') : t('funder.district');
  const kindLabel = (kind: string) =>
    kind === 'recovery'
      ? t('finance.adjustmentKind.recovery')
      : t('finance.adjustmentKind.disbursement');
  if (listed.closed.length === 0)
    return (
      <p data-testid="adjustments-open">{t('finance.adjustmentsOpen', { year: listed.period })}</p>
    );
  if (listed.adjustments.length === 0)
    return (
      <p data-testid="adjustments-none">
        {t('finance.adjustmentsNone', {
          year: listed.period,
          funders: listed.closed.map(funderLabel).join('、'),
        })}
      </p>
    );
  return (
    <table className="data" data-testid="adjustments-table">
      <TableHead
        columns={[
          t('finance.adjustmentReference'),
          t('finance.adjustmentSubject'),
          t('finance.funder'),
          t('finance.adjustmentDatedOn'),
          { num: kindLabel('disbursement') },
          { num: kindLabel('recovery') },
        ]}
      />
      <tbody>
        {listed.adjustments.map((row) => (
          <tr key={row.position} data-kind={row.kind} data-amount={row.amount}>
            <td>
              <Ident>{row.reference}</Ident>
            </td>
            <td>
              <Ident>{row.subjectId}</Ident>
            </td>
            <td>{funderLabel(row.funder)}</td>
            <td>{row.datedOn}</td>
            <MoneyCell amount={row.kind === 'disbursement' ? row.amount : null} />
            <MoneyCell amount={row.kind === 'recovery' ? row.amount : null} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        {listed.totals.map((total) => (
          <tr
            key={`${total.funder} ${total.kind}`}
            data-testid={`adjustments-total-${total.funder}-${total.kind}`}
          >
            <th colSpan={4}>
              {t('common.total')} · {funderLabel(total.funder)} · {kindLabel(total.kind)}
            </th>
            <MoneyCell amount={total.kind === 'disbursement' ? total.amount : null} />
            <MoneyCell amount={total.kind === 'recovery' ? total.amount : null} />
          </tr>
        ))}
      </tfoot>
    </table>
  );
}

/** One claim's shares, paid and still to pay per funder, as GET /claims/{id} states them now. */
function ClaimShares({ claim }: { readonly claim: ClaimDetail }): ReactNode {
  const { t, lang } = useI18n();
  const split = claim.approval?.split;
  const { paid, outstanding: toPay } = claim;
  return (
    <>
      <h2>
        <a href={hrefFor({ name: 'claim', claimId: claim.claimId })}>
          <Ident>{claim.claimId}</Ident>
        </a>{' '}
        · {programName(claim.programCode, lang)} <StatusBadge status={claim.status} />
      </h2>
      {split ? (
        <SharesTable
          testId="selected-shares"
          rows={[
            {
              funder: 'city',
              label: t('funder.city'),
              share: split.cityShare,
              paid: paid.city,
              toPay: toPay.city,
            },
            {
              funder: 'district',
              label: `${t('funder.district')} · ${districtName(split.district, lang)}`,
              share: split.districtShare,
              paid: paid.district,
              toPay: toPay.district,
            },
          ]}
        />
      ) : null}
    </>
  );
}

/** The disbursement form's required inputs: each one's test id (its label is `finance.<name>`). */
const REQUIRED_FIELDS = {
  claim: 'disbursement-claim',
  amount: 'disbursement-amount',
  paymentRef: 'disbursement-ref',
  paidAt: 'disbursement-paid-at',
} as const;

/** A labelled, required input of the disbursement form. */
function RequiredField({
  name,
  value,
  onChange,
  type,
  inputMode,
}: {
  readonly name: keyof typeof REQUIRED_FIELDS;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly type?: 'date';
  readonly inputMode?: 'decimal';
}): ReactNode {
  const { t } = useI18n();
  return (
    <label>
      {t(`finance.${name}`)}
      <input
        type={type}
        data-testid={REQUIRED_FIELDS[name]}
        inputMode={inputMode}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        required
      />
    </label>
  );
}

function PayableTable({ rows }: { readonly rows: readonly Payable[] }): ReactNode {
  const { t, lang } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('common.none')}</p>;
  const shown = rows.slice(0, ROWS_SHOWN);
  return (
    <table className="data" data-testid="payables" data-count={rows.length}>
      <TableHead
        columns={[
          t('claim.id'),
          t('claim.program'),
          { num: t('funder.city') },
          t('funder.district'),
          { num: t('funder.district') },
          '',
        ]}
      />
      <tbody>
        {shown.map((row) => (
          <tr
            key={row.claim.claimId}
            data-claim-id={row.claim.claimId}
            data-city={row.toPay.city}
            data-district={row.toPay.district}
          >
            <td>
              <a href={hrefFor({ name: 'claim', claimId: row.claim.claimId })}>
                <Ident>{row.claim.claimId}</Ident>
              </a>
            </td>
            <td>{programName(row.claim.programCode, lang)}</td>
            <MoneyCell amount={row.toPay.city} />
            <td>{row.district ? districtName(row.district, lang) : '—'}</td>
            <MoneyCell amount={row.toPay.district} />
            <td>
              <a href={hrefFor({ name: 'finance', claimId: row.claim.claimId })}>
                {t('finance.pick')}
              </a>
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colSpan={2}>
            {t('common.total')}{' '}
            {rows.length > shown.length ? (
              <span className="muted">
                {t('finance.shownOf', { shown: shown.length, total: rows.length })}
              </span>
            ) : null}
          </th>
          <MoneyCell amount={sumMoney(rows.map((row) => row.toPay.city))} />
          <td />
          <MoneyCell amount={sumMoney(rows.map((row) => row.toPay.district))} />
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

interface DisbursementBody {
  funder: 'city' | 'district';
  amount: string;
  paymentRef: string;
  paidAt: string;
}

function DisbursementForm({
  claimId,
  onDone,
}: {
  readonly claimId: string | null;
  readonly onDone: (amount: string, funder: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const [claim, setClaim] = useState(claimId ?? '');
  const [funder, setFunder] = useState<'city' | 'district'>('city');
  const [amount, setAmount] = useState('');
  const [paymentRef, setPaymentRef] = useState('');
  const [paidAt, setPaidAt] = useState(todayBeijing());
  const [amountProblem, setAmountProblem] = useState(false);
  const command = useCommand(
    (body: DisbursementBody & { claimId: string }, key: string): Promise<ClaimWriteResult> => {
      const { claimId: target, ...payload } = body;
      return recordDisbursement(target, payload, key);
    },
  );

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const trimmed = amount.trim();
    if (!isMoneyString(trimmed)) {
      setAmountProblem(true);
      return;
    }
    setAmountProblem(false);
    const result = await command.submit({
      claimId: claim.trim(),
      funder,
      amount: trimmed,
      paymentRef: paymentRef.trim(),
      paidAt,
    });
    if (result) {
      onDone(trimmed, t(funder === 'city' ? 'funder.city' : 'funder.district'));
      setAmount('');
      setPaymentRef('');
    }
  };

  return (
    <section className="panel" data-testid="disbursement-form">
      <h2>{t('finance.record')}</h2>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        <RequiredField name="claim" value={claim} onChange={setClaim} />
        <label>
          {t('finance.funder')}
          <select
            data-testid="disbursement-funder"
            value={funder}
            onChange={(event) => setFunder(event.target.value === 'district' ? 'district' : 'city')}
          >
            <option value="city">{t('funder.city')}</option>
            <option value="district">{t('funder.district')}</option>
          </select>
        </label>
        <RequiredField name="amount" value={amount} onChange={setAmount} inputMode="decimal" />
        {amountProblem ? (
          <p className="notice error" role="alert">
            {t('finance.invalidAmount')}
          </p>
        ) : null}
        <RequiredField name="paymentRef" value={paymentRef} onChange={setPaymentRef} />
        <RequiredField name="paidAt" value={paidAt} onChange={setPaidAt} type="date" />
        <div className="actions">
          <button
            type="submit"
            data-testid="disbursement-submit"
            disabled={command.status.state === 'sending'}
          >
            {command.status.state === 'sending' ? t('common.submitting') : t('common.submit')}
          </button>
        </div>
        {command.status.state !== 'idle' ? (
          <p className="muted">
            {t('finance.key')}: <code data-testid="idempotency-key">{command.status.key}</code>
          </p>
        ) : null}
      </form>
      {command.status.state === 'failed' ? <ErrorNotice error={command.status.error} /> : null}
    </section>
  );
}
