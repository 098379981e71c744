import { Button, Card, Form, NoticeBar, SpinLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../components/Page';
import { useOnSynced } from '../../lib/deviceOutbox';
import { errorText } from '../../lib/formErrors';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { useOutboxForm } from '../../lib/useOutboxForm';
import { AlertRulesDocument, UpdateAlertRuleDocument } from './rules.generated';
import { alertRuleFieldReason, RULE_FIELDS, RuleFields, ruleInitialValues, ruleValuesToInput, type AlertRule } from './ruleForm';

/** Admin: each alert rule's switch and thresholds (stuck thresholds live on the stages). */
export default function AlertRulesPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useKeptQuery({ query: AlertRulesDocument });
  useOnSynced(() => reexecute({ requestPolicy: 'network-only' }));
  const rules = result.data?.alertRules ?? [];
  return (
    <Page title={t('alertRules.title')}>
      {result.fetching && rules.length === 0 && <SpinLoading className="center" />}
      {result.error && rules.length === 0 && <NoticeBar color="error" content={t('errors.loadFailed')} wrap />}
      {rules.map((rule) => (
        <RuleCard key={rule.kind} rule={rule} />
      ))}
    </Page>
  );
}

function RuleCard({ rule }: { rule: AlertRule }) {
  const { t } = useTranslation();
  const { form, error, submitting, submit } = useOutboxForm(`alert-rule:${rule.kind}`, RULE_FIELDS, alertRuleFieldReason);
  return (
    <Card title={t(`alertKind.${rule.kind}`)} className="stage-card" data-testid={`rule-${rule.kind}`}>
      <div className="muted rule-about">{t(`alertRules.about.${rule.kind}`, { defaultValue: '' })}</div>
      {error && (
        <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />
      )}
      <Form
        form={form}
        layout="horizontal"
        className="rule-form"
        initialValues={ruleInitialValues(rule)}
        onFinish={(values: Record<string, unknown>) =>
          submit(UpdateAlertRuleDocument, { input: ruleValuesToInput(rule, values) }, {
            label: t('alertRules.label', { kind: t(`alertKind.${rule.kind}`) }),
            route: '/settings/alert-rules',
            onDone: () => undefined,
            onQueued: () => undefined,
          })
        }
        footer={
          <Button size="small" type="submit" color="primary" loading={submitting} data-testid={`rule-${rule.kind}-save`}>
            {t('common.save')}
          </Button>
        }
      >
        <RuleFields rule={rule} />
        {rule.kind === 'STAGE_STUCK' && (
          <Form.Item label={t('alertRules.stuckThresholds')}>
            <Link to="/settings/stages" className="link">
              {t('admin.stages')}
            </Link>
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
