import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckIcon } from '../../components/icons';
import { useToast } from '../../components/toast';
import { EmptyState, Spinner } from '../../components/ui';
import { defineMessages } from '../../i18n';
import { fullTime, relativeTime } from '../../lib/format';
import { failedJobs, jobErrorText, workspaceKeys, type FailedJob } from './api/workspace';
import { LoadError, readableError, SectionHeader } from './people-common';
import './failed-jobs-section.css';

const t = defineMessages('settings.failedJobs', {
  title: 'Failed jobs',
  intro:
    'Background work (outgoing email, webhooks, automation, routing) is retried on its own. A job lands here only after its last retry failed. Fix the cause (a wrong SMTP password, an endpoint that is down), then retry it.',
  refresh: 'Refresh',
  queue: 'Job',
  error: 'Error',
  attempts: 'Retries',
  when: 'Failed',
  actions: 'Actions',
  retry: 'Retry',
  retrying: 'Retrying…',
  retried: 'The job is queued again. It leaves this list once it runs.',
  details: 'Details',
  noError: 'No error message was recorded.',
  empty: 'No failed jobs',
  emptyText:
    'Everything that ran in the background succeeded. If a job ever gives up after its retries, it shows up here so you can retry it.',
  payload: 'Job data',
});

export default function FailedJobsSection() {
  const query = useQuery({ queryKey: workspaceKeys.failedJobs, queryFn: failedJobs.list });
  const list = query.data?.data ?? [];
  return (
    <div className="failed-jobs-section">
      <SectionHeader
        title={t('title')}
        intro={t('intro')}
        actions={
          <button type="button" className="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
            {t('refresh')}
          </button>
        }
      />
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : list.length === 0 ? (
        <div className="settings-card">
          <EmptyState icon={<CheckIcon />} title={t('empty')}>
            {t('emptyText')}
          </EmptyState>
        </div>
      ) : (
        <div className="settings-table-wrap">
          <table className="settings-table failed-jobs-table">
            <thead>
              <tr>
                <th scope="col">{t('queue')}</th>
                <th scope="col">{t('error')}</th>
                <th scope="col" className="optional">
                  {t('attempts')}
                </th>
                <th scope="col" className="optional">
                  {t('when')}
                </th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((job) => (
                <JobRow key={job.id} job={job} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function JobRow({ job }: { job: FailedJob }) {
  const qc = useQueryClient();
  const toast = useToast();
  const retry = useMutation({
    mutationFn: () => failedJobs.retry(job.id),
    onSuccess: () => {
      qc.setQueryData<{ data: FailedJob[] }>(workspaceKeys.failedJobs, (old) =>
        old ? { data: old.data.filter((j) => j.id !== job.id) } : old,
      );
      toast(t('retried'), 'info');
    },
    onError: (err) => toast(readableError(err)),
  });
  const message = jobErrorText(job.error);
  const firstLine = message.split('\n')[0] ?? '';
  return (
    <tr data-job-id={job.id}>
      <td className="job-name">
        <code>{job.name}</code>
      </td>
      <td className="job-error">
        {message ? (
          <details>
            <summary>{firstLine.length > 140 ? `${firstLine.slice(0, 140)}…` : firstLine}</summary>
            <pre className="code-block">{message}</pre>
            <div className="form-hint">{t('payload')}</div>
            <pre className="code-block">{JSON.stringify(job.data, null, 2)}</pre>
          </details>
        ) : (
          <span className="form-hint">{t('noError')}</span>
        )}
      </td>
      <td className="optional">{job.retryCount}</td>
      <td className="optional">{job.failedAt ? <time title={fullTime(job.failedAt)}>{relativeTime(job.failedAt)}</time> : '—'}</td>
      <td className="actions">
        <button type="button" className="button small" onClick={() => retry.mutate()} disabled={retry.isPending}>
          {retry.isPending ? t('retrying') : t('retry')}
        </button>
      </td>
    </tr>
  );
}
