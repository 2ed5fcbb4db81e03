/** The reviewer's forms. Every POST carries a fresh Idempotency-Key (see useCommand). */
import { useState, type ReactNode } from 'react';
import { countersignClaim, decideClaim } from '../api/endpoints';
import type { ClaimDetail, CommandResult } from '../api/types';
import { useSignedIn } from '../auth/SessionContext';
import { ErrorNotice, StatusBadge } from '../components/common';
import { useCommand } from '../components/useCommand';
import { useI18n } from '../i18n/i18n';

function reasonsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function Outcome({
  status,
}: {
  readonly status: ReturnType<typeof useCommand<unknown, CommandResult>>['status'];
}): ReactNode {
  return status.state === 'failed' ? <ErrorNotice error={status.error} /> : null;
}

/** Shown by the claim page after a command succeeded (the form itself goes away with the new status). */
export function CommandDone({ result }: { readonly result: CommandResult }): ReactNode {
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

export function DecisionForm({
  claim,
  onDone,
}: {
  readonly claim: ClaimDetail;
  readonly onDone: (result: CommandResult) => void;
}): ReactNode {
  const { t } = useI18n();
  const [amount, setAmount] = useState(claim.assessment.ceiling);
  const [reasons, setReasons] = useState('');
  const command = useCommand(
    (body: { outcome: 'approve' | 'reject'; amount?: string; reasons: string[] }, key: string) =>
      decideClaim(claim.claimId, body, key),
  );
  const sending = command.status.state === 'sending';

  const send = async (outcome: 'approve' | 'reject'): Promise<void> => {
    const body =
      outcome === 'approve'
        ? { outcome, amount: amount.trim(), reasons: reasonsOf(reasons) }
        : { outcome, reasons: reasonsOf(reasons) };
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
        <label>
          {t('claim.reasons')}
          <textarea
            data-testid="decision-reasons"
            rows={3}
            value={reasons}
            onChange={(event) => setReasons(event.target.value)}
          />
        </label>
        <div className="actions">
          <button
            type="button"
            data-testid="approve-button"
            disabled={sending}
            onClick={() => void send('approve')}
          >
            {sending ? t('common.submitting') : t('claim.approve')}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="reject-button"
            disabled={sending}
            onClick={() => void send('reject')}
          >
            {t('claim.reject')}
          </button>
        </div>
      </form>
      <Outcome status={command.status} />
    </section>
  );
}

export function CountersignForm({
  claim,
  onDone,
}: {
  readonly claim: ClaimDetail;
  readonly onDone: (result: CommandResult) => void;
}): ReactNode {
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
        <label>
          {t('claim.reasons')}
          <textarea
            data-testid="countersign-reasons"
            rows={3}
            value={reasons}
            onChange={(event) => setReasons(event.target.value)}
          />
        </label>
        <div className="actions">
          <button
            type="button"
            data-testid="countersign-confirm"
            disabled={sending}
            onClick={() => void send('confirm')}
          >
            {t('claim.countersignConfirm')}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="countersign-reject"
            disabled={sending}
            onClick={() => void send('reject')}
          >
            {t('claim.countersignReject')}
          </button>
        </div>
      </form>
      <Outcome status={command.status} />
    </section>
  );
}
