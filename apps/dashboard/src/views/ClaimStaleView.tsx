/**
 * What the reviewer saw (docs/policy.md §7, issue 18): a decision sends the log position of the claim
 * view it was made from; when the ceiling or split moved after it, the API answers 409
 * DECISION.STALE_VIEW with the figures then and now. This notice shows both, and the claim page reloads
 * so the reviewer decides again from the current view.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Money } from '../components/common';
import { useI18n } from '../i18n/i18n';

/** The figures of one side of a DECISION.STALE_VIEW (libs/ledger stale-view.ts `DecisionFigures`). */
export interface DecisionFigures {
  readonly ceiling: string | null;
  readonly refusal: string | null;
  readonly district: string;
  readonly split: { readonly cityShare: string; readonly districtShare: string } | null;
}

export interface StaleView {
  readonly viewPosition: string;
  readonly seen: DecisionFigures | null;
  readonly current: DecisionFigures | null;
}

/** The stale-view refusal in an error, or null for any other error. */
export function staleViewOf(error: unknown): StaleView | null {
  if (!(error instanceof ApiError) || error.code !== 'DECISION.STALE_VIEW') return null;
  const details = (error.details ?? {}) as Partial<Record<keyof StaleView, unknown>>;
  return {
    viewPosition: typeof details.viewPosition === 'string' ? details.viewPosition : '',
    seen: (details.seen ?? null) as DecisionFigures | null,
    current: (details.current ?? null) as DecisionFigures | null,
  };
}

function Figures({
  figures,
  testId,
}: {
  readonly figures: DecisionFigures | null;
  readonly testId: string;
}): ReactNode {
  const { t } = useI18n();
  if (figures === null) return <td data-testid={testId}>—</td>;
  return (
    <td data-testid={testId} data-ceiling={figures.ceiling ?? ''}>
      {figures.ceiling === null ? (
        <code>{figures.refusal}</code>
      ) : (
        <Money amount={figures.ceiling} />
      )}
      {figures.split ? (
        <span className="muted">
          {' '}
          · {t('claim.staleCity')} <Money amount={figures.split.cityShare} /> /{' '}
          {t('claim.staleDistrict')} <Money amount={figures.split.districtShare} />
        </span>
      ) : null}
    </td>
  );
}

/** Shown on the claim page after a decision was refused as stale: the ceiling (and split) then and now. */
export function StaleViewNotice({ stale }: { readonly stale: StaleView }): ReactNode {
  const { t } = useI18n();
  return (
    <div
      className="notice warn"
      role="alert"
      data-testid="stale-view"
      data-view-position={stale.viewPosition}
      data-current-ceiling={stale.current?.ceiling ?? ''}
    >
      <strong>{t('claim.staleTitle', { position: stale.viewPosition })}</strong>
      <table className="data">
        <tbody>
          <tr>
            <th>{t('claim.staleSeen')}</th>
            <Figures figures={stale.seen} testId="stale-seen" />
          </tr>
          <tr>
            <th>{t('claim.staleCurrent')}</th>
            <Figures figures={stale.current} testId="stale-current" />
          </tr>
        </tbody>
      </table>
      <p>{t('claim.staleAgain')}</p>
    </div>
  );
}
