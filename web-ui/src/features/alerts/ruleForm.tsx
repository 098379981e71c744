import { Form, Input, Switch } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { AlertRulesQuery } from './rules.generated';
import type { UpdateAlertRuleInput } from '../../gql/graphql';
import i18n from '../../i18n';
import type { ApiError } from '../../lib/errors';

export type AlertRule = AlertRulesQuery['alertRules'][number];

/** The thresholds a rule may carry; the server sends only those that apply to its kind. */
export const RULE_NUMBER_FIELDS = ['escalateAfterHours', 'reassignments', 'windowDays', 'withinDays', 'stuckDeals'] as const;
export type RuleNumberField = (typeof RULE_NUMBER_FIELDS)[number];
export const RULE_FIELDS = ['enabled', ...RULE_NUMBER_FIELDS] as const;

/** The thresholds of one rule, in a stable order. */
export function ruleNumberFields(rule: AlertRule): RuleNumberField[] {
  return RULE_NUMBER_FIELDS.filter((field) => rule[field] !== null && rule[field] !== undefined);
}

export function ruleInitialValues(rule: AlertRule): Record<string, unknown> {
  const values: Record<string, unknown> = { enabled: rule.enabled };
  for (const field of ruleNumberFields(rule)) values[field] = String(rule[field]);
  return values;
}

/** Form values → `updateAlertRule` input; thresholds left blank are not sent, the server judges the ranges. */
export function ruleValuesToInput(rule: AlertRule, values: Record<string, unknown>): UpdateAlertRuleInput {
  const input: UpdateAlertRuleInput = { kind: rule.kind, enabled: Boolean(values.enabled) };
  for (const field of ruleNumberFields(rule)) {
    const raw = values[field];
    const textValue = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    if (textValue !== '') input[field] = Number(textValue);
  }
  return input;
}

/**
 * The server words rule errors as `must be between 2 and 50` or `does not
 * apply to PING_PONG`; say the same in the chosen language.
 */
export function alertRuleFieldReason(field: string, error: ApiError): string | undefined {
  const message = error.fieldMessages[field];
  if (!message) return undefined;
  const range = /between (-?\d+) and (-?\d+)/.exec(message);
  if (range) return i18n.t('alertRules.between', { min: Number(range[1]), max: Number(range[2]) });
  if (/does not apply/.test(message)) return i18n.t('alertRules.notApplicable');
  return undefined;
}

/** The inputs of one rule: the switch, then its thresholds. */
export function RuleFields({ rule }: { rule: AlertRule }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="enabled" label={t('alertRules.enabled')} valuePropName="checked" childElementPosition="right">
        <Switch data-testid={`rule-${rule.kind}-enabled`} />
      </Form.Item>
      {ruleNumberFields(rule).map((field) => (
        <Form.Item
          key={field}
          name={field}
          label={t(`alertRules.${field}`)}
          rules={[{ pattern: /^\s*\d+\s*$/, message: t('alertRules.wholeNumber') }]}
          data-testid={`rule-${rule.kind}-${field}`}
        >
          <Input type="number" inputMode="numeric" min={0} />
        </Form.Item>
      ))}
    </>
  );
}
