/**
 * One claim: its facts, evidence, the assessment trace (each step with its clause), the fiscal split
 * and payments, its event history with hashes, and the reviewer's decision / countersign forms.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { getApplicant, getClaim, getClaimHistory } from '../api/endpoints';
import type { ClaimDetail, ClaimWriteResult, HistoryEntry, ViewedClaim } from '../api/endpoints';
import { can } from '../auth/session';
import { useSignedIn } from '../auth/SessionContext';
import {
  FreeText,
  Ident,
  Loaded,
  Fact,
  LoadedPanel,
  Money,
  MoneyCells,
  StatusBadge,
  useLoad,
  TableHead,
} from '../components/common';
import { GroupBadge } from '../components/GroupBadge';
import { SharesTable, type ShareRow } from '../components/SharesTable';
import { useI18n } from '../i18n/i18n';
import { capName, eventTypeName, formatDateTime, roleName, stepName } from '../i18n/terms';
import { traceSentence } from '../i18n/trace';
import { hrefFor } from '../lib/router';
import { districtName, programClause, programName } from '../lib/reference';
import { CommandDone, CountersignForm, DecisionForm } from './ClaimForms';
import { EvidenceTable } from './Evidence';
import { StaleViewNotice, type StaleView } from './ClaimStaleView';

export function ClaimView({ claimId }: { readonly claimId: string }): ReactNode {
  const { t } = useI18n();
  const claim = useLoad((signal) => getClaim(claimId, signal), [claimId]);
  const history = useLoad((signal) => getClaimHistory(claimId, signal), [claimId]);
  const { reload: reloadClaim } = claim;
  const { reload: reloadHistory } = history;
  const [done, setDone] = useState<ClaimWriteResult | null>(null);
  // A decision refused as stale: its figures stay shown while the claim reloads (ClaimStaleView.tsx).
  const [stale, setStale] = useState<StaleView | null>(null);
  // After a write, or a decision refused as stale, show its outcome and reload the claim and its history.
  const { onChanged, onStale } = useMemo(() => {
    const show = (result: ClaimWriteResult | null, refused: StaleView | null): void => {
      setDone(result);
      setStale(refused);
      reloadClaim();
      reloadHistory();
    };
    return {
      onChanged: (result: ClaimWriteResult) => show(result, null),
      onStale: (refused: StaleView) => show(null, refused),
    };
  }, [reloadClaim, reloadHistory]);

  return (
    <section
      data-view="claim"
      data-claim-id={claimId}
      data-status={claim.result.state === 'ready' ? claim.result.data.status : ''}
    >
      <h1>
        {t('claim.title', { id: '' })}
        <Ident>{claimId}</Ident>
      </h1>
      {done ? <CommandDone result={done} /> : null}
      {stale ? <StaleViewNotice stale={stale} /> : null}
      <Loaded result={claim.result} reload={claim.reload}>
        {(data) => (
          <ClaimBody
            claim={data}
            onChanged={onChanged}
            onStale={onStale}
            ceilingNow={stale?.current?.ceiling ?? null}
          />
        )}
      </Loaded>
      <LoadedPanel title={t('claim.history')} load={history}>
        {(entries) => <HistoryTable entries={entries} />}
      </LoadedPanel>
    </section>
  );
}

function ClaimBody({
  claim,
  onChanged,
  onStale,
  ceilingNow,
}: {
  readonly claim: ViewedClaim;
  readonly onChanged: (result: ClaimWriteResult) => void;
  readonly onStale: (stale: StaleView) => void;
  readonly ceilingNow: string | null;
}): ReactNode {
  const { t, lang } = useI18n();
  const session = useSignedIn();
  const approval = claim.approval ?? null;
  // The claim names its applicant by USCC; the profile adds the name and the current district.
  const applicant = useLoad((signal) => getApplicant(claim.applicant, signal), [claim.applicant]);
  const profile = applicant.result.state === 'ready' ? applicant.result.data : null;
  return (
    <>
      <section className="panel">
        <dl className="facts" data-testid="claim-facts">
          <Fact label={t('common.status')}>
            <StatusBadge status={claim.status} />
          </Fact>
          <Fact label={t('claim.applicant')}>
            <a href={hrefFor({ name: 'applicant', uscc: claim.applicant })}>
              {profile?.name ? (
                <FreeText>{profile.name}</FreeText>
              ) : (
                <Ident>{claim.applicant}</Ident>
              )}
            </a>{' '}
            <code>{claim.applicant}</code>
            {profile ? (
              <span className="muted"> · {districtName(profile.district, lang)}</span>
            ) : null}
          </Fact>
          <Fact label={t('claim.program')}>
            {programName(claim.programCode, lang)} <code>{claim.programCode}</code> ·{' '}
            {t('program.clause')} {programClause(claim.programCode)}
          </Fact>
          <Fact label={t('claim.supportYear')}>{claim.supportYear}</Fact>
          <Fact label={t('claim.requested')}>
            <Money amount={claim.requestedAmount} />
          </Fact>
          <dt>{t('claim.ceiling')}</dt>
          <dd data-testid="claim-ceiling" data-value={claim.assessment.ceiling}>
            <Money amount={claim.assessment.ceiling} />
          </dd>
          {approval ? (
            <>
              <dt>{t('claim.approved')}</dt>
              <dd data-testid="claim-approved-amount">
                <Money amount={approval.amount} /> · {t('claim.approvedBy')}{' '}
                <Ident>{approval.approvedBy}</Ident>
                {claim.countersignedBy ? (
                  <>
                    {' / '}
                    <Ident>{claim.countersignedBy}</Ident>
                  </>
                ) : null}
              </dd>
            </>
          ) : null}
          {claim.reasons && claim.reasons.length > 0 ? (
            <>
              <dt>{t('claim.reasons')}</dt>
              <dd data-testid="claim-reasons">
                {claim.reasons.map((reason, index) => (
                  <span key={index}>
                    {index > 0 ? '；' : null}
                    <FreeText>{reason}</FreeText>
                  </span>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      {claim.status === 'submitted' && can.review(session) ? (
        <DecisionForm claim={claim} onDone={onChanged} onStale={onStale} ceilingNow={ceilingNow} />
      ) : null}
      {claim.status === 'pending_countersign' && can.review(session) ? (
        <CountersignForm claim={claim} onDone={onChanged} />
      ) : null}
      {approval ? <SplitPanel claim={claim} /> : null}
      {claim.status === 'approved' && can.disburse(session) ? (
        <p>
          <a href={hrefFor({ name: 'finance', claimId: claim.claimId })} data-testid="to-finance">
            {t('claim.toFinance')}
          </a>
        </p>
      ) : null}
      <section className="panel">
        <h2>{t('claim.evidence')}</h2>
        <EvidenceTable evidence={claim.evidence} />
      </section>
      <AssessmentPanel claim={claim} />
    </>
  );
}

function SplitPanel({ claim }: { readonly claim: ClaimDetail }): ReactNode {
  const { t, lang } = useI18n();
  const split = claim.approval?.split;
  if (!split) return null;
  const { paid, outstanding } = claim;
  const rows: ShareRow[] = [
    {
      funder: 'city',
      label: t('funder.city'),
      share: split.cityShare,
      paid: paid.city,
      toPay: outstanding.city,
    },
    {
      funder: 'district',
      label: `${t('funder.district')} · ${districtName(split.district, lang)}`,
      share: split.districtShare,
      paid: paid.district,
      toPay: outstanding.district,
    },
  ];
  return (
    <section className="panel">
      <h2>
        {t('claim.split')}{' '}
        {split.funding === 'split' ? (
          <GroupBadge
            district={split.district}
            group={split.districtGroup}
            cityRate={split.cityRate}
          />
        ) : (
          <span className="badge">{t('funder.city')} 100%</span>
        )}
      </h2>
      <SharesTable rows={rows} testId="claim-split" />
    </section>
  );
}

function AssessmentPanel({ claim }: { readonly claim: ClaimDetail }): ReactNode {
  const { t, lang } = useI18n();
  const context = { programName: (code: string) => programName(code, lang) };
  const { assessment } = claim;
  return (
    <section className="panel" data-testid="assessment">
      <h2>{t('claim.assessment')}</h2>
      <dl className="facts">
        <Fact label={t('claim.eligible')}>
          {assessment.eligible ? t('common.yes') : t('common.no')}
        </Fact>
        {assessment.base ? (
          <>
            <Fact label={t('claim.base')}>
              <Money amount={assessment.base} />
            </Fact>
          </>
        ) : null}
        <Fact label={t('claim.ruleAmount')}>
          <Money amount={assessment.ruleAmount} />
        </Fact>
        <Fact label={t('claim.ceiling')}>
          <Money amount={assessment.ceiling} />
        </Fact>
      </dl>
      <h3>{t('claim.step')}</h3>
      <table className="data" data-testid="assessment-trace">
        <TableHead
          columns={[
            '#',
            t('claim.step'),
            t('program.clause'),
            t('claim.message'),
            { num: t('common.amount') },
          ]}
        />
        <tbody>
          {assessment.trace.map((step, index) => (
            <tr key={index} data-step={step.step}>
              <td>{index + 1}</td>
              <td>
                {stepName(step.step, lang)} <code className="muted">{step.step}</code>
              </td>
              <td>{step.clause}</td>
              <td>
                {traceSentence(step, lang, context)}
                {lang === 'zh' && step.step === 'refused' ? (
                  <div>
                    <code lang="en">{step.message}</code>
                  </div>
                ) : null}
              </td>
              <td className="num">{step.amount ? <Money amount={step.amount} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {assessment.caps && assessment.caps.length > 0 ? (
        <>
          <h3>{t('claim.capsAtSubmission')}</h3>
          <table className="data">
            <TableHead
              columns={[
                t('claim.cap'),
                t('program.clause'),
                { num: t('applicant.cap') },
                { num: t('applicant.granted') },
                { num: t('applicant.remaining') },
              ]}
            />
            <tbody>
              {assessment.caps.map((cap) => (
                <tr key={cap.capId}>
                  <td>
                    {capName(cap.capId, lang, context.programName)}{' '}
                    <code className="muted">{cap.capId}</code>
                  </td>
                  <td>{cap.clause}</td>
                  <MoneyCells amounts={[cap.cap, cap.granted, cap.room]} />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function HistoryTable({ entries }: { readonly entries: readonly HistoryEntry[] }): ReactNode {
  const { t, lang } = useI18n();
  if (entries.length === 0) return <p className="muted">{t('common.none')}</p>;
  return (
    <table className="data" data-testid="claim-history">
      <TableHead
        columns={[
          t('claim.revision'),
          t('claim.position'),
          t('claim.event'),
          t('claim.actor'),
          t('claim.recordedAt'),
          t('claim.hash'),
          t('claim.prevHash'),
        ]}
      />
      <tbody>
        {entries.map((entry) => (
          <tr key={`${String(entry.revision)}:${entry.type}`} data-event-type={entry.type}>
            <td>{String(entry.revision)}</td>
            <td>{String(entry.position)}</td>
            <td>
              {eventTypeName(entry.type, lang)} <code className="muted">{entry.type}</code>
              {typeof entry.data['viewPosition'] === 'string' ? (
                <span className="muted" data-testid="history-view-position">
                  {' '}
                  · {t('claim.viewPosition')} {entry.data['viewPosition']}
                </span>
              ) : null}
            </td>
            <td>
              {entry.actor ? <Ident>{entry.actor}</Ident> : '—'}
              {entry.role ? <span className="muted">（{roleName(entry.role, lang)}）</span> : null}
            </td>
            <td className="time" data-iso={entry.recordedAt ?? ''}>
              {formatDateTime(entry.recordedAt)}
            </td>
            <td className="hash" title={entry.hash}>
              {entry.hash ? <code>{entry.hash}</code> : '—'}
            </td>
            <td className="hash" title={entry.prevHash ?? ''}>
              {entry.prevHash ? <code>{entry.prevHash}</code> : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
