import { act, cleanup, render } from '@testing-library/react';
import { Form } from 'antd-mobile';
import type { FormInstance } from 'antd-mobile/es/components/form';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChannelKindValue } from '../../gql/graphql';
import i18n from '../../i18n';
import { apiErrorFrom } from '../../lib/errors';
import { applyFieldErrors } from '../../lib/formErrors';
import { CHANNEL_FIELDS, channelFieldReason, ChannelFormFields, channelValuesToInput, eventLabel } from './channelForm';

afterEach(cleanup);
afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

function renderForm(kind: ChannelKindValue, onForm: (form: FormInstance) => void) {
  function Harness() {
    const [form] = Form.useForm();
    onForm(form);
    return (
      <Form form={form} initialValues={{ kind: [kind], events: [] }}>
        <ChannelFormFields kind={kind} />
      </Form>
    );
  }
  return render(<Harness />);
}

function errorNextTo(testId: string): string | null {
  return document.querySelector(`[data-testid="${testId}"] .adm-form-item-feedback-error`)?.textContent ?? null;
}

describe('channel form', () => {
  it('asks for a secret only where the kind signs', async () => {
    await i18n.changeLanguage('zh-CN');
    renderForm('WEBHOOK', () => undefined);
    expect(document.querySelector('[data-testid="channel-secret"]')).not.toBeNull();
    cleanup();
    renderForm('WECOM', () => undefined);
    expect(document.querySelector('[data-testid="channel-secret"]')).toBeNull();
    const labels = [...document.querySelectorAll('.adm-form-item-label')].map((label) => label.textContent?.replace('*', '').trim());
    expect(labels).toEqual(['类型', '名称', 'Webhook 地址', '订阅事件']);
  });

  for (const [language, reasons] of [
    ['zh-CN', ['请填写以 http:// 或 https:// 开头的完整地址', '至少 8 个字符', '包含不支持的事件']],
    ['en', ['Enter a full URL starting with http:// or https://', 'At least 8 characters', 'Contains an unsupported event']],
  ] as const) {
    it(`puts BAD_INPUT errors next to target, secret and events (${language})`, async () => {
      await i18n.changeLanguage(language);
      let form: FormInstance | undefined;
      renderForm('WEBHOOK', (instance) => (form = instance));
      // The server names one field per error; a form may meet them one after the other.
      for (const [field, message] of [
        ['target', 'must be an absolute http or https url'],
        ['secret', 'must be at least 8 characters'],
        ['events', 'unknown events ["alert.NOPE"]; known: alert.*, report.weekly'],
      ] as const) {
        const error = apiErrorFrom({ message: `invalid input: ${field}: ${message}`, extensions: { code: 'BAD_INPUT', fields: [`input.${field}`] } });
        let orphans: string[] = [];
        await act(async () => {
          orphans = applyFieldErrors(form!, error, CHANNEL_FIELDS, channelFieldReason);
        });
        expect(orphans).toEqual([]);
      }
      expect(errorNextTo('channel-target')).toBe(reasons[0]);
      expect(errorNextTo('channel-secret')).toBe(reasons[1]);
      expect(errorNextTo('channel-events')).toBe(reasons[2]);
      expect(errorNextTo('channel-name')).toBeNull();
    });
  }

  it("words the server's other reasons, and keeps the unforeseen ones", async () => {
    await i18n.changeLanguage('zh-CN');
    const reason = (field: string, message: string) =>
      channelFieldReason(field, apiErrorFrom({ message: `invalid input: ${field}: ${message}`, extensions: { code: 'BAD_INPUT', fields: [field] } }));
    expect(reason('secret', 'wecom channels do not take a secret')).toBe('这种通道不使用密钥');
    expect(reason('target', '"bob@" is not a valid email address')).toBe('「bob@」不是有效的邮箱');
    expect(reason('target', 'must not contain a user name or password')).toBe('地址里不能包含用户名或密码');
    expect(reason('target', 'must not be empty')).toBe('请填写');
    expect(reason('name', 'must be at most 100 characters')).toBe('最多 100 个字符');
    expect(reason('target', 'something new')).toBeUndefined();
    // Unforeseen reasons fall back to the server's words next to the input.
    let form: FormInstance | undefined;
    renderForm('WEBHOOK', (instance) => (form = instance));
    await act(async () => {
      applyFieldErrors(form!, apiErrorFrom({ message: 'invalid input: target: something new', extensions: { code: 'BAD_INPUT', fields: ['target'] } }), CHANNEL_FIELDS, channelFieldReason);
    });
    expect(errorNextTo('channel-target')).toBe('something new');
  });

  it('turns form values into addChannel input', () => {
    expect(
      channelValuesToInput({ kind: ['WEBHOOK'], name: '  ', target: ' http://127.0.0.1:9/hook ', secret: ' s3cret-key ', events: ['report.weekly', 'alert.*'] }),
    ).toEqual({ kind: 'WEBHOOK', target: 'http://127.0.0.1:9/hook', secret: 's3cret-key', events: ['alert.*', 'report.weekly'] });
    // A secret typed before switching to a kind that takes none is not sent; no events means all.
    expect(channelValuesToInput({ kind: ['WECOM'], name: '销售群', target: 'https://qyapi.weixin.qq.com/x?key=1', secret: 'leftover1', events: [] })).toEqual({
      kind: 'WECOM',
      name: '销售群',
      target: 'https://qyapi.weixin.qq.com/x?key=1',
    });
  });

  it('names event subscriptions in words', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(eventLabel('alert.*')).toBe('全部提醒');
    expect(eventLabel('alert.STAGE_STUCK')).toBe('提醒：阶段停滞');
    expect(eventLabel('report.weekly')).toBe('漏斗健康周报');
    expect(eventLabel('report.monthly_collection')).toBe('行业回款健康月报');
    expect(eventLabel('deal.stage_changed')).toBe('deal.stage_changed');
  });
});
