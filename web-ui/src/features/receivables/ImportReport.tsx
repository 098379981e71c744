import { Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { formatMoneyExact } from '../../lib/format';
import type { ImportReport as Report, ImportRowError } from './logic';
import './i18n';

/** Codes whose wording names the receivable's outstanding amount or currency. */
const NEEDS_OUTSTANDING = new Set(['AMOUNT_OVER_OUTSTANDING', 'CURRENCY_MISMATCH']);

/** A bad row's problem in the chosen language, from its code; the server's words for a code this app cannot word. */
export function ImportErrorText({ error }: { error: ImportRowError }) {
  const { t, i18n } = useTranslation();
  const known = i18n.exists(`imp.error.${error.code}`) && (!NEEDS_OUTSTANDING.has(error.code) || error.outstanding);
  if (!known) return <>{error.message}</>;
  return (
    <>
      {t(`imp.error.${error.code}`, {
        value: error.value,
        outstanding: error.outstanding ? formatMoneyExact(error.outstanding) : '',
        currency: error.outstanding?.currency ?? '',
      })}
    </>
  );
}

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
              <tr key={index} data-testid="import-error" data-line={error.line} data-code={error.code} data-field={error.field}>
                <td>{error.line}</td>
                <td>{t(`imp.col.${error.field}`, { defaultValue: error.field })}</td>
                <td data-testid="import-error-message">
                  <ImportErrorText error={error} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.errors.length > 0 && <div className="muted">{t('imp.nothingChanged')}</div>}
    </div>
  );
}
