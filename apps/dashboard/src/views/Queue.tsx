/** The review queue: claims waiting for a decision, and approvals waiting for a second reviewer. */
import { useState, type ReactNode } from 'react';
import { listClaims } from '../api/endpoints';
import type { ClaimListItem, ClaimStatus } from '../api/endpoints';
import { ErrorNotice, Loaded, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { ClaimTable } from './Applicant';

export function QueueView(): ReactNode {
  const { t } = useI18n();
  return (
    <section data-view="queue">
      <h1>{t('queue.title')}</h1>
      <QueueSection status="submitted" title="queue.submitted" />
      <QueueSection status="pending_countersign" title="queue.pending" />
    </section>
  );
}

function QueueSection({
  status,
  title,
}: {
  readonly status: ClaimStatus;
  readonly title: MessageKey;
}): ReactNode {
  const { t } = useI18n();
  const first = useLoad((signal) => listClaims({ status }, signal), [status]);
  const [more, setMore] = useState<readonly ClaimListItem[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  return (
    <section className="panel" data-testid={`queue-${status}`}>
      <h2>{t(title)}</h2>
      <Loaded result={first.result} reload={first.reload}>
        {(page) => {
          const next = cursor === undefined ? page.nextCursor : cursor;
          const loadMore = async (): Promise<void> => {
            if (!next) return;
            setBusy(true);
            setProblem(null);
            try {
              const result = await listClaims({ status, cursor: next });
              setMore((previous) => [...previous, ...result.items]);
              setCursor(result.nextCursor);
            } catch (error) {
              setProblem(error);
            } finally {
              setBusy(false);
            }
          };
          return (
            <>
              <ClaimTable rows={[...page.items, ...more]} testId={`queue-table-${status}`} />
              {problem ? <ErrorNotice error={problem} /> : null}
              {next ? (
                <button
                  type="button"
                  className="secondary"
                  disabled={busy}
                  onClick={() => void loadMore()}
                >
                  {t('common.loadMore')}
                </button>
              ) : null}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
