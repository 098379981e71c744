import { Button, Card, Form, Input, NoticeBar, Selector, SpinLoading, Switch } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import type { Role } from '../../gql/graphql';
import type { SlaPoliciesQuery } from './documents.generated';
import { useOnSynced } from '../../lib/deviceOutbox';
import { errorText } from '../../lib/formErrors';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { useOutboxForm } from '../../lib/useOutboxForm';
import { formatMinutes } from '../tickets/ticketLogic';
import { SlaPoliciesDocument as Query, UpdateSlaPolicyDocument } from './documents.generated';

type Policy = SlaPoliciesQuery['slaPolicies'][number];
const FIELDS = ['minutes', 'calendarTime', 'routeRole'] as const;
const ROUTE_ROLES: readonly Role[] = ['TECH', 'DELIVERY', 'FINANCE', 'LEGAL', 'MARKETING', 'MANAGER'];

/** Admin: each ticket kind's SLA budget, whether it counts calendar time, and where requirements are routed. */
export default function SlaPoliciesPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useKeptQuery({ query: Query });
  useOnSynced(useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]));
  const policies = result.data?.slaPolicies;
  return (
    <Page title={t('sla.title')}>
      <div className="form-intro">{t('sla.intro')}</div>
      {!policies && <SpinLoading className="center" />}
      {policies?.map((policy) => (
        <PolicyCard key={`${policy.kind}:${policy.requirementType ?? ''}`} policy={policy} />
      ))}
    </Page>
  );
}

function PolicyCard({ policy }: { policy: Policy }) {
  const { t } = useTranslation();
  const key = `${policy.kind}${policy.requirementType ? `-${policy.requirementType}` : ''}`;
  const { form, error, submitting, submit } = useOutboxForm(`sla:${key}`, FIELDS);
  const title = `${t(`ticketKind.${policy.kind}`)}${policy.requirementType ? ` · ${t(`requirementType.${policy.requirementType}`)}` : ''}`;
  return (
    <Card className="stage-card" title={title} data-testid={`sla-${key}`}>
      {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
      <Form
        form={form}
        layout="horizontal"
        initialValues={{ minutes: String(policy.minutes), calendarTime: policy.calendarTime, routeRole: policy.routeRole ? [policy.routeRole] : [] }}
        onFinish={(values: { minutes: string; calendarTime: boolean; routeRole: Role[] }) =>
          submit(
            UpdateSlaPolicyDocument,
            {
              input: {
                kind: policy.kind,
                requirementType: policy.requirementType,
                minutes: Number.parseInt(values.minutes, 10),
                calendarTime: values.calendarTime,
                routeRole: policy.kind === 'REQUIREMENT' ? values.routeRole?.[0] : undefined,
              },
            },
            { label: t('sla.saveLabel', { policy: title }), route: '/settings/sla', onDone: () => undefined, onQueued: () => undefined },
          )
        }
        footer={
          <Button size="small" type="submit" color="primary" loading={submitting} data-testid={`sla-${key}-save`}>
            {t('common.save')}
          </Button>
        }
      >
        <Form.Item
          name="minutes"
          label={t('sla.minutes')}
          data-testid={`sla-${key}-minutes`}
          extra={<span className="muted">{t('sla.minutesUnit')}</span>}
          help={t('sla.minutesHelp', { time: formatMinutes(policy.minutes, t) })}
        >
          <Input type="number" inputMode="numeric" min={1} />
        </Form.Item>
        <Form.Item name="calendarTime" label={t('sla.calendarTime')} valuePropName="checked" help={t('sla.calendarTimeHelp')}>
          <Switch />
        </Form.Item>
        {policy.kind === 'REQUIREMENT' && (
          <Form.Item name="routeRole" label={t('sla.routeRole')} layout="vertical">
            <Selector columns={3} options={ROUTE_ROLES.map((role) => ({ label: t(`role.${role}`), value: role }))} />
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
