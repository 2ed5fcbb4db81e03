/**
 * The finance workbook as a job (issue 13, docs/operations.md "Jobs"): the auditor starts the export, the
 * server answers at once, and the page polls the job for its progress (events done/total, rate, ETA) until
 * the workbook can be downloaded. The job runs on the server: leaving the page does not stop it.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { downloadJobResult, getAuditJob, startExportJob, type AuditJob } from '../api/endpoints';
import { DateInput, ErrorNotice } from '../components/common';
import { useI18n } from '../i18n/i18n';
import { newIdempotencyKey } from '../lib/ids';
import { endOfDayBeijing } from '../lib/reference';

/** How often the page asks the server about a job that is still queued or running. */
const POLL_MS = 500;

export function ExportJobPanel(): ReactNode {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [byFunder, setByFunder] = useState(true);
  const [job, setJob] = useState<AuditJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [file, setFile] = useState<{ url: string; name: string } | null>(null);

  const active = job !== null && (job.state === 'queued' || job.state === 'running');

  useEffect(() => {
    if (!job || !active) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      getAuditJob(job.id, controller.signal).then(setJob, (reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      });
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [job, active]);

  useEffect(() => {
    if (job?.state !== 'succeeded') return;
    const controller = new AbortController();
    let url: string | null = null;
    downloadJobResult(job.id, controller.signal).then(
      (result) => {
        url = URL.createObjectURL(result.blob);
        setFile({ url, name: result.fileName ?? job.result?.fileName ?? 'ledger-export.xlsx' });
      },
      (reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [job?.id, job?.state, job?.result?.fileName]);

  async function start(event: FormEvent): Promise<void> {
    event.preventDefault();
    setStarting(true);
    setError(null);
    setFile(null);
    try {
      const asOf = date ? endOfDayBeijing(date) : undefined;
      setJob(await startExportJob({ asOf, byFunder }, newIdempotencyKey()));
    } catch (reason) {
      setError(reason);
    } finally {
      setStarting(false);
    }
  }

  const progress = job?.progress;
  return (
    <section className="panel export-job" data-testid="export-job">
      <h2>{t('export.title')}</h2>
      <p className="muted">{t('export.hint')}</p>
      <form className="export-job-form" onSubmit={(event) => void start(event)}>
        <label className="control">
          {t('common.asOf')}
          <DateInput testId="export-asof" value={date} onChange={setDate} />
        </label>
        <label className="control">
          <input
            type="checkbox"
            checked={byFunder}
            onChange={(event) => setByFunder(event.target.checked)}
          />
          {t('export.byFunder')}
        </label>
        <button type="submit" data-testid="export-start" disabled={starting || active}>
          {t('export.start')}
        </button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {job && progress ? (
        <div className="export-job-status" data-testid="export-status" data-state={job.state}>
          <p>
            <strong>{t(`export.state.${job.state}` as const)}</strong>{' '}
            <span data-testid="export-counts">
              {t('export.progress', { done: progress.done, total: progress.total })}
            </span>
          </p>
          <progress
            data-testid="export-progress"
            max={Math.max(progress.total, 1)}
            value={job.state === 'succeeded' ? Math.max(progress.total, 1) : progress.done}
            aria-label={t('export.title')}
          />
          {job.state === 'running' &&
          progress.ratePerSecond !== null &&
          progress.etaSeconds !== null ? (
            <p className="muted" data-testid="export-eta">
              {t('export.rate', { rate: progress.ratePerSecond, eta: progress.etaSeconds })}
            </p>
          ) : null}
          {job.state === 'failed' && job.error ? (
            <p className="notice error">
              {t('export.failed', { code: job.error.code, message: job.error.message })}
            </p>
          ) : null}
          {file ? (
            <a
              className="button"
              data-testid="export-download"
              href={file.url}
              download={file.name}
            >
              {t('export.download', { file: file.name })}
            </a>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
