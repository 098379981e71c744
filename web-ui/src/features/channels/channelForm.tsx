import { Checkbox, Form, Input, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { AddChannelInput, AlertKindValue, ChannelKindValue } from '../../gql/graphql';
import i18n from '../../i18n';
import type { ApiError } from '../../lib/errors';

export const CHANNEL_KINDS: ChannelKindValue[] = ['DINGTALK', 'WECOM', 'EMAIL', 'WEBHOOK'];

/** Every alert kind, in the schema's order (preferences and event subscriptions). */
export const ALERT_KINDS: AlertKindValue[] = [
  'STAGE_STUCK',
  'FOLLOW_UP_OVERDUE',
  'PING_PONG',
  'NEWCOMER_STUCK',
  'SLA_WARNING',
  'SLA_BREACHED',
  'COLLECTION_WARNING',
  'RISK_TIER_CHANGED',
  'DATA_QUALITY',
];

/** The events a channel may subscribe to; none ticked means all. */
export const CHANNEL_EVENTS = ['alert.*', ...ALERT_KINDS.map((kind) => `alert.${kind}`), 'report.weekly', 'report.monthly_collection'];

export const CHANNEL_FIELDS = ['kind', 'name', 'target', 'secret', 'events'] as const;

/** Only DingTalk robots and webhooks sign their messages. */
export function takesSecret(kind: ChannelKindValue | undefined): boolean {
  return kind === 'DINGTALK' || kind === 'WEBHOOK';
}

/** An event subscription in words: "全部提醒", "提醒：阶段停滞", "漏斗健康周报", "行业回款健康月报". */
export function eventLabel(event: string): string {
  if (event === 'alert.*') return i18n.t('channels.event.allAlerts');
  if (event === 'report.weekly') return i18n.t('channels.event.weekly');
  if (event === 'report.monthly_collection') return i18n.t('channels.event.monthlyCollection');
  if (event === 'channel.test') return i18n.t('channels.event.test');
  const kind = /^alert\.(\w+)$/.exec(event)?.[1];
  if (kind && i18n.exists(`alertKind.${kind}`)) return i18n.t('channels.event.alert', { kind: i18n.t(`alertKind.${kind}`) });
  return event;
}

/** Form values → `addChannel` input: trimmed, blank name left out, a secret only where the kind signs, no events meaning all. */
export function channelValuesToInput(values: Record<string, unknown>): AddChannelInput {
  const kind = (Array.isArray(values.kind) ? values.kind[0] : values.kind) as ChannelKindValue;
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const input: AddChannelInput = { kind, target: text(values.target) };
  const name = text(values.name);
  if (name) input.name = name;
  const secret = text(values.secret);
  if (secret && takesSecret(kind)) input.secret = secret;
  const events = Array.isArray(values.events) ? (values.events as string[]) : [];
  if (events.length > 0) input.events = CHANNEL_EVENTS.filter((event) => events.includes(event));
  return input;
}

/**
 * The server words channel errors in English (`must be at least 8
 * characters`, `must be an absolute http or https url`, …); say them in the
 * chosen language, or keep the server's words for anything unforeseen.
 */
export function channelFieldReason(field: string, error: ApiError): string | undefined {
  const message = error.fieldMessages[field];
  if (!message) return undefined;
  const t = i18n.t.bind(i18n);
  let match: RegExpExecArray | null;
  if ((match = /at least (\d+) characters/.exec(message))) return t('channels.reason.minLength', { count: Number(match[1]) });
  if ((match = /at most (\d+) characters/.exec(message))) return t('channels.reason.maxLength', { count: Number(match[1]) });
  if (/do(es)? not take a secret/.test(message)) return t('channels.reason.noSecret');
  if (/must not be empty/.test(message)) return t('channels.reason.required');
  if (/user name or password/.test(message)) return t('channels.reason.credentials');
  if (/fragment/.test(message)) return t('channels.reason.fragment');
  if (/spaces|control characters/.test(message)) return t('channels.reason.spaces');
  if (/https? url|valid url|name a host/.test(message)) return t('channels.reason.url');
  if (/at least one email/.test(message)) return t('channels.reason.emailRequired');
  if ((match = /at most (\d+) email/.exec(message))) return t('channels.reason.tooManyEmails', { count: Number(match[1]) });
  if ((match = /"([^"]*)" is not a valid email address/.exec(message))) return t('channels.reason.email', { address: match[1] });
  if (/unknown events/.test(message)) return t('channels.reason.events');
  return undefined;
}

/** The inputs of a new channel: kind, name, target (its hint follows the kind), secret where it applies, events. */
export function ChannelFormFields({ kind }: { kind: ChannelKindValue | undefined }) {
  const { t } = useTranslation();
  const current = kind ?? 'DINGTALK';
  return (
    <>
      <Form.Item name="kind" label={t('channels.kind')} rules={[{ required: true, message: t('channels.reason.required') }]} data-testid="channel-kind">
        <Selector columns={2} options={CHANNEL_KINDS.map((value) => ({ value, label: t(`channelKind.${value}`) }))} />
      </Form.Item>
      <Form.Item name="name" label={t('channels.name')} data-testid="channel-name">
        <Input placeholder={t('channels.namePlaceholder')} maxLength={100} clearable />
      </Form.Item>
      <Form.Item
        name="target"
        label={current === 'EMAIL' ? t('channels.recipients') : t('channels.url')}
        help={t(`channels.targetHelp.${current}`)}
        rules={[{ required: true, message: t('channels.reason.required') }]}
        data-testid="channel-target"
      >
        <Input placeholder={t(`channels.targetPlaceholder.${current}`)} clearable autoComplete="off" />
      </Form.Item>
      {takesSecret(current) && (
        <Form.Item name="secret" label={t('channels.secret')} help={t(`channels.secretHelp.${current}`)} data-testid="channel-secret">
          <Input type="password" placeholder={t('channels.secretPlaceholder')} autoComplete="new-password" clearable />
        </Form.Item>
      )}
      <Form.Item name="events" label={t('channels.events')} help={t('channels.eventsHelp')} data-testid="channel-events">
        <Checkbox.Group>
          <div className="checkbox-grid">
            {CHANNEL_EVENTS.map((event) => (
              <Checkbox key={event} value={event} data-testid={`channel-event-${event}`}>
                {event.startsWith('alert.') && event !== 'alert.*' ? t(`alertKind.${event.slice('alert.'.length)}`) : eventLabel(event)}
              </Checkbox>
            ))}
          </div>
        </Checkbox.Group>
      </Form.Item>
    </>
  );
}
