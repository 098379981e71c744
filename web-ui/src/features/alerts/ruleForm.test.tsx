import { act, cleanup, render } from '@testing-library/react';
import { Form } from 'antd-mobile';
import type { FormInstance } from 'antd-mobile/es/components/form';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { apiErrorFrom } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/formErrors';
import { alertRuleFieldReason, RULE_FIELDS, RuleFields, ruleValuesToInput, type AlertRule } from './ruleForm';

afterEach(cleanup);
afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

const pingPong: AlertRule = {
  kind: 'PING_PONG',
  enabled: true,
  escalateAfterHours: null,
  reassignments: 3,
  windowDays: 14,
  withinDays: null,
  stuckDeals: null,
};

function renderRule(rule: AlertRule, onForm: (form: FormInstance) => void) {
  function Harness() {
    const [form] = Form.useForm();
    onForm(form);
    return (
      <Form form={form} initialValues={{ enabled: rule.enabled, reassignments: '3', windowDays: '14' }}>
        <RuleFields rule={rule} />
      </Form>
    );
  }
  return render(<Harness />);
}

// What the server answers for `updateAlertRule(input: {kind: PING_PONG, reassignments: 1, windowDays: 400})`.
const badInput = apiErrorFrom({
  message: 'invalid input: reassignments: must be between 2 and 50; windowDays: must be between 1 and 365',
  extensions: { code: 'BAD_INPUT', fields: ['input.reassignments', 'input.windowDays'] },
});

function errorNextTo(label: string): string | null {
  const item = [...document.querySelectorAll('.adm-form-item')].find((node) => node.querySelector('.adm-form-item-label')?.textContent?.includes(label));
  return item?.querySelector('.adm-form-item-feedback-error')?.textContent ?? null;
}

describe('alert rule form', () => {
  it("shows only the rule's own thresholds", async () => {
    await i18n.changeLanguage('zh-CN');
    renderRule(pingPong, () => undefined);
    const labels = [...document.querySelectorAll('.adm-form-item-label')].map((label) => label.textContent?.trim());
    expect(labels).toEqual(['启用', '转派次数达到', '统计天数']);
  });

  for (const [language, labels, reasons] of [
    ['zh-CN', ['转派次数达到', '统计天数', '启用'], ['须在 2 到 50 之间', '须在 1 到 365 之间']],
    ['en', ['Reassignments', 'Within (days)', 'Enabled'], ['Must be between 2 and 50', 'Must be between 1 and 365']],
  ] as const) {
    it(`puts BAD_INPUT field errors next to the named inputs (${language})`, async () => {
      await i18n.changeLanguage(language);
      let form: FormInstance | undefined;
      renderRule(pingPong, (instance) => (form = instance));
      let orphans: string[] = [];
      await act(async () => {
        orphans = applyFieldErrors(form!, badInput, RULE_FIELDS, alertRuleFieldReason);
      });
      expect(orphans).toEqual([]);
      expect(errorNextTo(labels[0])).toBe(reasons[0]);
      expect(errorNextTo(labels[1])).toBe(reasons[1]);
      expect(errorNextTo(labels[2])).toBeNull();
    });
  }

  it('words a setting that does not apply, and keeps other server reasons', async () => {
    await i18n.changeLanguage('en');
    const error = apiErrorFrom({
      message: 'invalid input: withinDays: does not apply to PING_PONG; windowDays: something else',
      extensions: { code: 'BAD_INPUT', fields: ['withinDays', 'windowDays'] },
    });
    expect(alertRuleFieldReason('withinDays', error)).toBe('This rule has no such setting');
    expect(alertRuleFieldReason('windowDays', error)).toBeUndefined();
  });

  it('turns form values into updateAlertRule input, leaving blank thresholds out', () => {
    expect(ruleValuesToInput(pingPong, { enabled: false, reassignments: ' 4 ', windowDays: '' })).toEqual({
      kind: 'PING_PONG',
      enabled: false,
      reassignments: 4,
    });
  });
});
