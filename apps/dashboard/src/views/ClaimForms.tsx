/** The reviewer's forms. Every POST carries a fresh Idempotency-Key (see useCommand). */
import { useState, type ReactNode } from 'react';
import { countersignClaim, decideClaim } from '../api/endpoints';
import type { ClaimDetail, ClaimWriteResult, ViewedClaim } from '../api/endpoints';
import { useSignedIn } from '../auth/SessionContext';
import { ErrorNotice, StatusBadge } from '../components/common';
import { useCommand } from '../components/useCommand';
import { useI18n } from '../i18n/i18n';
import { staleViewOf, type StaleView } from './ClaimStaleView';

function reasonsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function Outcome({
  status,
}: {
  readonly status: ReturnType<typeof useCommand<unknown, ClaimWriteResult>>['status'];
}): ReactNode {
  return status.state === 'failed' ? <ErrorNotice error={status.error} /> : null;
}

/** The free-text reasons of a decision, one per line. */
function ReasonsField({
  testId,
  value,
  onChange,
}: {
  readonly testId: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <label>
      {t('claim.reasons')}
      <textarea
        data-testid={testId}
        rows={3}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}

/** A button of a decision: the outcome it sends, its test id and its label. */
type Choice<O extends string> = readonly [outcome: O, testId: string, label: string];

/** A decision's two buttons: go ahead, or refuse (styled as the dangerous one). */
function DecisionButtons<O extends string>({
  sending,
  onSend,
  yes,
  no,
}: {
  readonly sending: boolean;
  readonly onSend: (outcome: O) => void;
  readonly yes: Choice<O>;
  readonly no: Choice<O>;
}): ReactNode {
  return (
    <div className="actions">
      {[yes, no].map(([outcome, testId, label], index) => (
        <button
          key={testId}
          type="button"
          className={index === 1 ? 'danger' : undefined}
          data-testid={testId}
          disabled={sending}
          onClick={() => onSend(outcome)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

/** Shown by the claim page after a command succeeded (the form itself goes away with the new status). */
export function CommandDone({ result }: { readonly result: ClaimWriteResult }): ReactNode {
  const { t } = useI18n();
  return (
    <p
      className="notice ok"
      role="status"
      data-testid="command-done"
      data-status={result.status ?? ''}
    >
      {t('claim.done')} {result.status ? <StatusBadge status={result.status} /> : null}
    </p>
  );
}

type DecisionBody = {
  outcome: 'approve' | 'reject';
  amount?: string;
  reasons: string[];
  viewPosition?: string;
};

/** A form on the claim page: the claim it acts on, and what to do with the answer. */
interface ClaimFormProps {
  readonly claim: ClaimDetail;
  readonly onDone: (result: ClaimWriteResult) => void;
}

/**
 * The decision form. Each decision sends the log position of the claim view it was made from
 * (`viewPosition`); a 409 DECISION.STALE_VIEW goes to `onStale`, which shows the figures and reloads the
 * claim, so the reviewer decides again from the new view (ClaimStaleView.tsx). `ceilingNow` is the
 * ceiling that refusal reported, the amount proposed next.
 */
export function DecisionForm({
  claim,
  onDone,
  onStale,
  ceilingNow,
}: ClaimFormProps & {
  readonly claim: ViewedClaim;
  readonly onStale: (stale: StaleView) => void;
  readonly ceilingNow: string | null;
}): ReactNode {
  const { t } = useI18n();
  const [amount, setAmount] = useState(ceilingNow ?? claim.assessment.ceiling);
  const [reasons, setReasons] = useState('');
  const viewPosition = claim.viewPosition ?? undefined;
  const command = useCommand(async (body: DecisionBody, key: string): Promise<ClaimWriteResult> => {
    try {
      return await decideClaim(claim.claimId, body, key);
    } catch (error) {
      const stale = staleViewOf(error);
      if (stale) onStale(stale);
      throw error;
    }
  });
  const sending = command.status.state === 'sending';

  const send = async (outcome: 'approve' | 'reject'): Promise<void> => {
    const body: DecisionBody =
      outcome === 'approve'
        ? { outcome, amount: amount.trim(), reasons: reasonsOf(reasons), viewPosition }
        : { outcome, reasons: reasonsOf(reasons), viewPosition };
    const result = await command.submit(body);
    if (result) onDone(result);
  };

  return (
    <section className="panel" data-testid="decision-form">
      <h2>{t('claim.approveTitle')}</h2>
      <form className="stack" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('claim.approved')} ({t('claim.ceiling')}: {claim.assessment.ceiling})
          <input
            data-testid="decision-amount"
            inputMode="decimal"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
          />
        </label>
        <ReasonsField testId="decision-reasons" value={reasons} onChange={setReasons} />
        <DecisionButtons
          sending={sending}
          onSend={(outcome) => void send(outcome)}
          yes={['approve', 'approve-button', sending ? t('common.submitting') : t('claim.approve')]}
          no={['reject', 'reject-button', t('claim.reject')]}
        />
      </form>
      <Outcome status={command.status} />
    </section>
  );
}

export function CountersignForm({ claim, onDone }: ClaimFormProps): ReactNode {
  const { t } = useI18n();
  const session = useSignedIn();
  const [reasons, setReasons] = useState('');
  const command = useCommand(
    (body: { outcome: 'confirm' | 'reject'; reasons: string[] }, key: string) =>
      countersignClaim(claim.claimId, body, key),
  );
  const sending = command.status.state === 'sending';
  const ownApproval = claim.approval?.approvedBy === session.sub;

  const send = async (outcome: 'confirm' | 'reject'): Promise<void> => {
    const result = await command.submit({ outcome, reasons: reasonsOf(reasons) });
    if (result) onDone(result);
  };

  return (
    <section className="panel" data-testid="countersign-form">
      <h2>{t('claim.countersignTitle')}</h2>
      {ownApproval ? <p className="notice warn">{t('claim.selfHint')}</p> : null}
      <form className="stack" onSubmit={(event) => event.preventDefault()}>
        <ReasonsField testId="countersign-reasons" value={reasons} onChange={setReasons} />
        <DecisionButtons
          sending={sending}
          onSend={(outcome) => void send(outcome)}
          yes={['confirm', 'countersign-confirm', t('claim.countersignConfirm')]}
          no={['reject', 'countersign-reject', t('claim.countersignReject')]}
        />
      </form>
      <Outcome status={command.status} />
    </section>
  );
}
