import { Button, Card, Dialog, Form, Input, NoticeBar, SpinLoading, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { Page } from '../../components/Page';
import { useOnSynced } from '../../lib/deviceOutbox';
import { errorText } from '../../lib/formErrors';
import { formatDateTime } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { useOutboxForm } from '../../lib/useOutboxForm';
import type { RiskThresholdsFieldsFragment } from './documents.generated';
import { RedCustomersDocument, RiskThresholdsDocument, UpdateRiskThresholdsDocument } from './documents.generated';
import {
  DEFAULT_THRESHOLDS,
  THRESHOLD_FIELDS,
  thresholdFieldReason,
  thresholdInput,
  thresholdsToValues,
  type ThresholdField,
  type ThresholdValues,
} from './riskThresholds';
import '../receivables/i18n';

/** The unit after each input. */
const UNIT: Record<ThresholdField, string> = {
  redCumulativeOverdueDays: 'thresholds.unit.days',
  redOverdueSharePercent: 'thresholds.unit.percent',
  onTimeRatePercent: 'thresholds.unit.percent',
  windowMonths: 'thresholds.unit.months',
  cumulativeWindowDays: 'thresholds.unit.days',
};

/** What a save did: whether every tier was recomputed, and the RED customers before and after. */
interface SaveOutcome {
  recomputed: boolean;
  redBefore: number | null;
  redAfter: number | null;
}

/**
 * R4's risk-tier thresholds: what turns a customer RED or YELLOW. Everyone
 * may read them; admins change them, after confirming that every customer's
 * tier is recomputed at once.
 */
export default function RiskThresholdsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const client = useClient();
  const isAdmin = session?.user.role === 'ADMIN';
  const [result, reexecute] = useKeptQuery({ query: RiskThresholdsDocument });
  const [red] = useKeptQuery({ query: RedCustomersDocument, pause: !isAdmin });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  const { form, error, submitting, submit } = useOutboxForm('risk-thresholds', THRESHOLD_FIELDS, thresholdFieldReason);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);
  const thresholds = result.data?.riskThresholds;

  // A recompute another process left unfinished is completed by the hourly tier job: look again until it is.
  const pending = thresholds ? !thresholds.tiersRecomputed : false;
  useEffect(() => {
    if (!pending) return;
    const id = window.setTimeout(refresh, 5000);
    return () => window.clearTimeout(id);
  }, [pending, refresh, result.data]);

  if (!thresholds) {
    return <Page title={t('thresholds.title')}>{result.fetching ? <SpinLoading className="center" /> : <NoticeBar color="error" content={result.error?.message ?? ''} wrap />}</Page>;
  }
  const current = thresholdsToValues(thresholds);

  const onFinish = async (values: ThresholdValues) => {
    const { input, changes, notWhole } = thresholdInput(values, current);
    if (notWhole.length > 0) {
      form.setFields(notWhole.map((name) => ({ name, errors: [t('thresholds.reason.whole')] })));
      return;
    }
    if (changes.length === 0) {
      Toast.show({ content: t('thresholds.unchanged') });
      return;
    }
    const confirmed = await Dialog.confirm({
      title: t('thresholds.confirmTitle'),
      content: (
        <div data-testid="thresholds-confirm">
          <ul className="threshold-changes">
            {changes.map((change) => (
              <li key={change.field}>
                {t(`thresholds.field.${change.field}`)} {change.from} → <strong>{change.to}</strong> {t(UNIT[change.field])}
              </li>
            ))}
          </ul>
          <div>{t('thresholds.confirmRecompute')}</div>
        </div>
      ),
      confirmText: t('thresholds.confirmSave'),
      cancelText: t('common.cancel'),
    });
    if (!confirmed) return;
    const redBefore = red.data ? red.data.riskCenter.length : null;
    setOutcome(null);
    await submit(
      UpdateRiskThresholdsDocument,
      { input },
      {
        label: t('thresholds.saveLabel'),
        route: '/settings/risk-thresholds',
        onDone: async (data) => {
          const saved = data.updateRiskThresholds;
          form.setFieldsValue(thresholdsToValues(saved));
          refresh();
          const after = isAdmin ? await client.query(RedCustomersDocument, {}, { requestPolicy: 'network-only' }).toPromise() : null;
          setOutcome({ recomputed: saved.tiersRecomputed, redBefore, redAfter: after?.data ? after.data.riskCenter.length : null });
        },
        onQueued: () => undefined,
      },
    );
  };

  return (
    <Page title={t('thresholds.title')}>
      <div className="form-intro">{t('thresholds.intro')}</div>
      <Card className="stage-card" title={t('thresholds.currentTitle')} data-testid="thresholds-current">
        <div className="threshold-status">
          {thresholds.isDefault ? (
            <Tag color="primary" fill="outline" data-testid="thresholds-default">
              {t('thresholds.isDefault')}
            </Tag>
          ) : (
            <Tag color="warning" fill="outline" data-testid="thresholds-custom">
              {t('thresholds.isCustom')}
            </Tag>
          )}
          {thresholds.tiersRecomputed ? (
            <Tag color="success" fill="outline" data-testid="thresholds-recomputed">
              {t('thresholds.recomputed')}
            </Tag>
          ) : (
            <Tag color="warning" data-testid="thresholds-recomputing">
              {t('thresholds.recomputing')}
            </Tag>
          )}
        </div>
        {thresholds.updatedAt && (
          <div className="muted small" data-testid="thresholds-updated">
            {thresholds.updatedBy ? t('thresholds.updatedBy', { at: formatDateTime(thresholds.updatedAt), name: thresholds.updatedBy.name }) : t('thresholds.updated', { at: formatDateTime(thresholds.updatedAt) })}
          </div>
        )}
        <ThresholdRules thresholds={thresholds} />
      </Card>
      {outcome && (
        <NoticeBar
          className="threshold-outcome"
          color={outcome.recomputed ? 'success' : 'alert'}
          wrap
          data-testid="thresholds-outcome"
          content={
            <span>
              {outcome.recomputed ? t('thresholds.savedRecomputed') : t('thresholds.savedPending')}
              {outcome.redBefore !== null && outcome.redAfter !== null && (
                <span data-testid="thresholds-red-count" data-before={outcome.redBefore} data-after={outcome.redAfter}>
                  {' '}
                  {t('thresholds.redCount', { before: outcome.redBefore, after: outcome.redAfter })}
                </span>
              )}
            </span>
          }
        />
      )}
      <Card className="stage-card" title={isAdmin ? t('thresholds.editTitle') : t('thresholds.readOnlyTitle')} data-testid="thresholds-form">
        {!isAdmin && <NoticeBar color="info" content={t('thresholds.adminOnly')} wrap data-testid="thresholds-admin-only" />}
        {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
        <Form
          form={form}
          layout="vertical"
          className="threshold-form"
          initialValues={current}
          onFinish={(values: ThresholdValues) => void onFinish(values)}
          footer={
            isAdmin ? (
              <Button block type="submit" color="primary" loading={submitting} data-testid="thresholds-save">
                {t('common.save')}
              </Button>
            ) : undefined
          }
        >
          {THRESHOLD_FIELDS.map((field) => (
            <Form.Item
              key={field}
              name={field}
              label={t(`thresholds.field.${field}`)}
              data-testid={`threshold-${field}`}
              extra={<span className="muted">{t(UNIT[field])}</span>}
              description={t(`thresholds.help.${field}`, { value: DEFAULT_THRESHOLDS[field] })}
            >
              <Input inputMode="decimal" clearable={false} disabled={!isAdmin} />
            </Form.Item>
          ))}
        </Form>
      </Card>
    </Page>
  );
}

/** The R4 table in words, with the org's numbers. */
function ThresholdRules({ thresholds }: { thresholds: RiskThresholdsFieldsFragment }) {
  const { t } = useTranslation();
  const values = thresholdsToValues(thresholds);
  return (
    <ul className="threshold-rules" data-testid="thresholds-rules">
      <li className="tier-red">{t('thresholds.rule.red', { days: values.redCumulativeOverdueDays, window: values.cumulativeWindowDays, share: values.redOverdueSharePercent })}</li>
      <li className="tier-yellow">{t('thresholds.rule.yellow', { months: values.windowMonths, rate: values.onTimeRatePercent })}</li>
      <li className="tier-blue">{t('thresholds.rule.blue')}</li>
    </ul>
  );
}
