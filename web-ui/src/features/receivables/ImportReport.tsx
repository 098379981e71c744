import { Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { ImportReport as Report } from './logic';
import './i18n';

/** What an import did (or would do): the counts and every bad row by line number. */
export function ImportReport({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <div className="import-report" data-testid="import-report" data-errors={report.errors.length}>
      <div className="import-summary">
        <Tag color={report.dryRun ? 'primary' : 'success'}>{report.dryRun ? t('imp.dryRun') : t('imp.applied')}</Tag>
        <span data-testid="import-summary">
          {report.dryRun
            ? t('imp.dryRunSummary', { rows: report.rows, errors: report.errors.length })
            : t('imp.appliedSummary', { rows: report.rows, applied: report.applied })}
        </span>
      </div>
      {report.errors.length > 0 && (
        <table className="import-errors" data-testid="import-errors">
          <thead>
            <tr>
              <th>{t('imp.line')}</th>
              <th>{t('imp.field')}</th>
              <th>{t('imp.message')}</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((error, index) => (
              <tr key={index} data-testid="import-error" data-line={error.line}>
                <td>{error.line}</td>
                <td>{t(`imp.col.${error.field}`, { defaultValue: error.field })}</td>
                <td>{error.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.errors.length > 0 && <div className="muted">{t('imp.nothingChanged')}</div>}
    </div>
  );
}
