import { cleanup, render, screen } from '@testing-library/react';
import { Form } from 'antd-mobile';
import { afterEach, describe, expect, it } from 'vitest';
import '../../i18n';
import type { ApiError } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/formErrors';
import { GateFields, gateValuesToInput } from './GateFields';
import type { FormInstance } from 'antd-mobile/es/components/form';

afterEach(cleanup);

function renderGate(fields: string[], onForm?: (form: FormInstance) => void) {
  function Harness() {
    const [form] = Form.useForm();
    onForm?.(form);
    return (
      <Form form={form}>
        <GateFields fields={fields} contacts={[{ id: 'c1', name: '王经理' }]} />
      </Form>
    );
  }
  return render(<Harness />);
}

describe('gate form', () => {
  it("renders exactly the target stage's gate fields, in a stable order", () => {
    renderGate(['nextFollowUpAt', 'coreNeed', 'decisionRole']);
    const labels = [...document.querySelectorAll('.adm-form-item-label')].map((label) => label.textContent?.replace('*', '').trim());
    expect(labels).toEqual(['本次沟通核心诉求', '决策链角色', '下次跟进时间']);
    expect(screen.queryByText('金额')).toBeNull();
  });

  it('adds amount for a quote and lost reason for lost', () => {
    renderGate(['coreNeed', 'decisionRole', 'nextFollowUpAt', 'amount']);
    expect(screen.getByText('金额')).toBeTruthy();
    cleanup();
    renderGate(['lostReason']);
    expect(screen.getByText('输单原因')).toBeTruthy();
    expect(screen.queryByText('本次沟通核心诉求')).toBeNull();
  });

  it("puts the server's field errors next to the named inputs", async () => {
    let form: FormInstance | undefined;
    renderGate(['coreNeed', 'decisionRole', 'nextFollowUpAt'], (instance) => (form = instance));
    const error: ApiError = {
      code: 'STAGE_GATE_MISSING_FIELDS',
      message: 'stage QUALIFICATION requires: coreNeed, nextFollowUpAt',
      fields: ['coreNeed', 'nextFollowUpAt'],
      fieldMessages: {},
    };
    const { act } = await import('react');
    await act(async () => {
      applyFieldErrors(form!, error, ['coreNeed', 'decisionRole', 'nextFollowUpAt']);
    });
    const items = [...document.querySelectorAll('.adm-form-item')];
    const errorOf = (label: string) =>
      items.find((item) => item.textContent?.includes(label))?.querySelector('.adm-form-item-feedback-error')?.textContent ?? null;
    expect(errorOf('本次沟通核心诉求')).toBe('进入该阶段必须填写');
    expect(errorOf('下次跟进时间')).toBe('进入该阶段必须填写');
    expect(errorOf('决策链角色')).toBeNull();
  });

  it('turns form values into moveDealStage input', () => {
    const input = gateValuesToInput({
      coreNeed: ' 上线财务模块 ',
      decisionRole: ['DECISION_MAKER'],
      nextFollowUpAt: '2030-01-02T10:00',
      amount: '680000',
      lostReason: '',
    });
    expect(input).toMatchObject({ coreNeed: '上线财务模块', decisionRole: 'DECISION_MAKER', amount: { amount: '680000', currency: 'CNY' } });
    expect(typeof input.nextFollowUpAt).toBe('string');
    expect(input).not.toHaveProperty('lostReason');
  });
});
