import { Button, Form, Input, NoticeBar, Selector, SpinLoading, TextArea } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Page } from '../../components/Page';
import type { RequirementTypeValue, TicketKindValue } from '../../gql/graphql';
import { errorText } from '../../lib/formErrors';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { compact, useOutboxForm } from '../../lib/useOutboxForm';
import { DealDocument } from '../deals/documents.generated';
import { CreateTicketDocument } from './ticket.generated';

export const TICKET_KINDS: readonly TicketKindValue[] = ['TECH_ASSESSMENT', 'DELIVERY_CONFIRMATION', 'REQUIREMENT', 'HANDOFF'];
export const REQUIREMENT_TYPES: readonly RequirementTypeValue[] = ['PRODUCT_FEATURE', 'CUSTOM_DEVELOPMENT', 'SERVICE_UPGRADE'];
const FIELDS = ['kind', 'title', 'details', 'requirementType'] as const;

interface Values {
  kind: TicketKindValue[];
  title: string;
  details?: string;
  requirementType?: RequirementTypeValue[];
}

/** Raise a numbered ticket from a deal: kind, title, details, and the requirement type for requirements. */
export default function RaiseTicketPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [{ data }] = useKeptQuery({ query: DealDocument, variables: { id } });
  const { form, error, submitting, submit } = useOutboxForm(`raise-ticket:${id}`, FIELDS);
  const [kind, setKind] = useState<TicketKindValue>('TECH_ASSESSMENT');
  // A restored draft brings its kind back too.
  useEffect(() => {
    const restored = form.getFieldValue('kind') as TicketKindValue[] | undefined;
    if (restored?.[0] && restored[0] !== kind) setKind(restored[0]);
  });
  const deal = data?.deal;
  if (!deal) return <Page title={t('tickets.raise')}>{<SpinLoading className="center" />}</Page>;
  const onFinish = (values: Values) => {
    const chosen = values.kind?.[0] ?? 'TECH_ASSESSMENT';
    const input = compact({
      kind: chosen,
      dealId: deal.id,
      title: values.title ?? '',
      details: values.details,
      requirementType: chosen === 'REQUIREMENT' ? values.requirementType?.[0] : undefined,
    });
    return submit(
      CreateTicketDocument,
      { input: { ...input, title: input.title ?? '' } },
      {
        label: t('tickets.raiseLabel', { kind: t(`ticketKind.${chosen}`), deal: deal.title }),
        route: `/deals/${deal.id}/tickets/new`,
        onDone: (result) => navigate(`/tickets/${result.createTicket.id}`, { replace: true }),
        onQueued: () => navigate(`/deals/${deal.id}`, { replace: true }),
      },
    );
  };
  return (
    <Page title={t('tickets.raise')}>
      <div className="form-intro">{t('tickets.raiseFor', { deal: deal.title })}</div>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: ['TECH_ASSESSMENT'] }}
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.kind?.[0]) setKind(changed.kind[0]);
        }}
        onFinish={onFinish}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="ticket-submit">
            {t('tickets.raiseSubmit')}
          </Button>
        }
      >
        {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
        <Form.Item name="kind" label={t('tickets.kind')} data-testid="ticket-kind">
          <Selector columns={2} options={TICKET_KINDS.map((value) => ({ label: t(`ticketKind.${value}`), value }))} />
        </Form.Item>
        <div className="muted padded">{t(`tickets.kindHelp.${kind}`)}</div>
        {kind === 'REQUIREMENT' && (
          <Form.Item name="requirementType" label={t('tickets.requirementType')} data-testid="ticket-requirement-type">
            <Selector columns={1} options={REQUIREMENT_TYPES.map((value) => ({ label: t(`requirementType.${value}`), value }))} />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('tickets.titleLabel')} data-testid="ticket-title">
          <Input placeholder={t('tickets.titlePlaceholder')} maxLength={200} clearable />
        </Form.Item>
        <Form.Item name="details" label={t('tickets.details')} data-testid="ticket-details-input">
          <TextArea rows={4} placeholder={t('tickets.detailsPlaceholder')} maxLength={20000} />
        </Form.Item>
      </Form>
    </Page>
  );
}
