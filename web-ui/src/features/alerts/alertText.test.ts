import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { alertText, type AlertTextInput } from './alertText';

const stageNames: Record<string, string> = { DEMO: '方案演示', NEEDS_CONFIRMED: '需求确认' };
const stageName = (key: string) => stageNames[key] ?? key;
const due = '2030-03-04T02:00:00Z';

// One alert of each kind the server describes with figures, as `details` carries them.
const alerts: Record<string, AlertTextInput> = {
  STAGE_STUCK: {
    kind: 'STAGE_STUCK',
    title: '商机「ERP 升级」在「方案演示」阶段超过 48 小时没有新跟进',
    details: { stage: 'DEMO', thresholdHours: 48, enteredStageAt: '2030-03-01T00:00:00Z', lastActivityAt: null, dealTitle: 'ERP 升级' },
  },
  FOLLOW_UP_OVERDUE: {
    kind: 'FOLLOW_UP_OVERDUE',
    title: '商机「ERP 升级」的跟进时间已过，尚未记录跟进',
    details: { nextFollowUpAt: due, lastActivityAt: null, dealTitle: 'ERP 升级' },
  },
  PING_PONG: {
    kind: 'PING_PONG',
    title: '商机「ERP 升级」14 天内被转派 3 次以上且无实质跟进',
    details: { windowDays: 14, reassignments: 3, dealTitle: 'ERP 升级' },
  },
  NEWCOMER_STUCK: {
    kind: 'NEWCOMER_STUCK',
    title: '新人张伟有 3 个以上商机卡在「需求确认」阶段，建议辅导',
    details: { stage: 'NEEDS_CONFIRMED', stuckDeals: 3, joinedAt: '2030-01-01T00:00:00Z', repName: '张伟' },
  },
};

const expected = (dueText: string) => ({
  'zh-CN': {
    STAGE_STUCK: '商机「ERP 升级」在「方案演示」阶段超过 48 小时没有新跟进',
    FOLLOW_UP_OVERDUE: `商机「ERP 升级」的跟进时间（${dueText}）已过，尚未记录跟进`,
    PING_PONG: '商机「ERP 升级」14 天内被转派 3 次以上且无实质跟进',
    NEWCOMER_STUCK: '新人张伟有 3 个以上商机卡在「需求确认」阶段，建议辅导',
  },
  en: {
    STAGE_STUCK: '“ERP 升级” has had no follow-up for over 48 h in 方案演示',
    FOLLOW_UP_OVERDUE: `The follow-up on “ERP 升级” was due ${dueText} and none is logged yet`,
    PING_PONG: '“ERP 升级” was reassigned 3+ times within 14 days without real follow-up',
    NEWCOMER_STUCK: 'Newcomer 张伟 has 3+ deals stuck in 需求确认 — consider coaching',
  },
});

const dueIn = (locale: string) =>
  new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(due));

describe('alert text', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('zh-CN');
  });
  afterAll(async () => {
    await i18n.changeLanguage('zh-CN');
  });

  for (const language of ['zh-CN', 'en'] as const) {
    for (const kind of Object.keys(alerts)) {
      it(`words ${kind} from its details in ${language}`, async () => {
        await i18n.changeLanguage(language);
        const want = expected(dueIn(language === 'en' ? 'en-GB' : 'zh-CN'))[language][kind as keyof ReturnType<typeof expected>['en']];
        expect(alertText(alerts[kind], i18n.t, stageName)).toBe(want);
      });
    }
  }

  it('matches the server title in zh-CN for the kinds it words the same way', () => {
    for (const kind of ['STAGE_STUCK', 'PING_PONG', 'NEWCOMER_STUCK']) {
      expect(alertText(alerts[kind], i18n.t, stageName)).toBe(alerts[kind].title);
    }
  });

  it('uses the stage key when the stage is unknown, and the subject when details lack the deal title', async () => {
    await i18n.changeLanguage('en');
    const alert: AlertTextInput = {
      ...alerts.STAGE_STUCK,
      details: { stage: 'PROPOSAL', thresholdHours: 72 },
      subject: { __typename: 'Deal', title: 'CRM rollout' },
    };
    expect(alertText(alert, i18n.t, stageName)).toBe('“CRM rollout” has had no follow-up for over 72 h in PROPOSAL');
  });

  it('falls back to the zh-CN title for kinds without figures or with details missing', async () => {
    await i18n.changeLanguage('en');
    for (const kind of ['SLA_WARNING', 'SLA_BREACHED', 'COLLECTION_WARNING', 'RISK_TIER_CHANGED', 'DATA_QUALITY'] as const) {
      expect(alertText({ kind, title: `标题 ${kind}`, details: {} }, i18n.t)).toBe(`标题 ${kind}`);
    }
    expect(alertText({ kind: 'STAGE_STUCK', title: '原文', details: { stage: 'DEMO' } }, i18n.t)).toBe('原文');
    expect(alertText({ kind: 'PING_PONG', title: '原文', details: null }, i18n.t)).toBe('原文');
  });

  it('words SLA alerts about a ticket from its code and title, matching the server in zh-CN', async () => {
    const details = { code: 'TA-000042', ticketTitle: '私有化部署评估', slaMinutes: 120, dueAt: '2030-03-04T02:00:00Z', calendarTime: false };
    await i18n.changeLanguage('zh-CN');
    expect(alertText({ kind: 'SLA_WARNING', title: 'x', details }, i18n.t)).toBe('工单 TA-000042「私有化部署评估」已用掉 80% 时限');
    expect(alertText({ kind: 'SLA_BREACHED', title: 'x', details }, i18n.t)).toBe('工单 TA-000042「私有化部署评估」已超时');
    await i18n.changeLanguage('en');
    expect(alertText({ kind: 'SLA_WARNING', title: 'x', details }, i18n.t)).toBe('Ticket TA-000042 “私有化部署评估” has used 80% of its time');
    const subject = { __typename: 'Ticket', number: 'DC-000007', title: 'Go-live sign-off' };
    expect(alertText({ kind: 'SLA_BREACHED', title: 'x', details: {}, subject }, i18n.t)).toBe('Ticket DC-000007 “Go-live sign-off” is past its due time');
  });
});
