import { Button, NoticeBar, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import type { ApiError } from '../../lib/errors';
import { ErrorNotice } from './components';
import { ImportPaymentsDocument } from './documents.generated';
import { ImportReport } from './ImportReport';
import { canApply, type ImportReport as Report } from './logic';
import { sendMultipart } from './upload';
import './i18n';

/** Payment import: a dry run first, its report, then "apply". */
export default function ImportPaymentsPage() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (chosen: File, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    const outcome = await sendMultipart(ImportPaymentsDocument, { dryRun }, chosen, chosen.name);
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    setReport(outcome.data.importPayments);
    if (!dryRun) Toast.show({ icon: 'success', content: t('imp.appliedSummary', { rows: outcome.data.importPayments.rows, applied: outcome.data.importPayments.applied }) });
  };

  return (
    <Page title={t('imp.title')}>
      <NoticeBar wrap color="info" content={t('imp.help')} />
      <div className="padded">
        <input
          ref={input}
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="visually-hidden"
          data-testid="import-file"
          onChange={(event) => {
            const chosen = event.target.files?.[0] ?? null;
            setFile(chosen);
            setReport(null);
            if (chosen) void send(chosen, true);
            event.target.value = '';
          }}
        />
        <Button block color="primary" fill="outline" loading={busy && !report} onClick={() => input.current?.click()} data-testid="import-pick">
          {file ? t('imp.another', { name: file.name }) : t('imp.pick')}
        </Button>
      </div>
      <ErrorNotice error={error} testId="import-error-banner" />
      {error && file && (
        <div className="padded">
          <Button size="small" onClick={() => void send(file, report ? false : true)} data-testid="import-retry">
            {t('imp.retry')}
          </Button>
        </div>
      )}
      {report && <ImportReport report={report} />}
      {file && canApply(report) && (
        <div className="padded">
          <Button block color="primary" loading={busy} onClick={() => void send(file, false)} data-testid="import-apply">
            {t('imp.apply', { rows: report!.rows })}
          </Button>
        </div>
      )}
    </Page>
  );
}
