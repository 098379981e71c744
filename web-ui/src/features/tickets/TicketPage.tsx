import { Button, ErrorBlock, Form, List, NoticeBar, Rate, SpinLoading, Tag, TextArea, Toast } from 'antd-mobile';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Page, Section } from '../../components/Page';
import { outbox, submitMutation, useOnSynced, useOutboxEntries } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { applyFieldErrors, errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { usePolling } from '../../lib/usePolling';
import i18n from '../../i18n';
import { AcceptTicketDocument, BlockTicketDocument, DeliverTicketDocument, RejectTicketDocument, StartTicketDocument, TicketDocument, UnblockTicketDocument } from './ticket.generated';
import { ColorTag, DueLine } from './TicketCard';
import { ACTION_INPUT, availableActions, formatMinutes, type TicketActionName } from './ticketLogic';
import { TICKET_REFRESH_MS } from './ticketRefresh';

const OPERATIONS = new Set(['startTicket', 'deliverTicket', 'acceptTicket', 'rejectTicket', 'blockTicket', 'unblockTicket']);
const INPUT_FIELDS = ['note', 'reason', 'rating'] as const;

/** A refusal in words: ticket-specific sentences first, then the general ones. */
function ticketErrorText(error: ApiError): string {
  const key = `tickets.errors.${error.code}`;
  return i18n.exists(key) ? i18n.t(key) : errorText(error);
}

/** The server's field reasons in the chosen language (a missing reason, a rating out of range). */
const ticketFieldReason = (field: string, error: ApiError): string | undefined => {
  if (field === 'rating') return i18n.t('tickets.input.ratingRange');
  if (/required|empty|blank/i.test(error.fieldMessages[field] ?? '')) return i18n.t('tickets.input.required');
  return undefined;
};

/** A ticket: its countdown, facts, deal, history and exactly the steps the viewer may take. */
export default function TicketPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const session = useSession();
  const [result, reexecute] = useKeptQuery({ query: TicketDocument, variables: { id } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  usePolling(refresh, TICKET_REFRESH_MS);
  useOnSynced(refresh);
  const entries = useOutboxEntries();
  const waiting = entries.some((entry) => OPERATIONS.has(entry.operation) && entry.variables.id === id && entry.state !== 'rejected');
  const ticket = result.data?.ticket;
  if (!ticket) {
    return (
      <Page title={t('tickets.ticket')}>
        {result.fetching ? <SpinLoading className="center" /> : <ErrorBlock status="empty" title={t('tickets.notFound')} description={result.error?.message ?? ''} />}
      </Page>
    );
  }
  const actions = session ? availableActions(ticket, session.user) : [];
  const department = t(`tickets.department.${ticket.department}`, { defaultValue: ticket.department });
  return (
    <Page title={ticket.number}>
      <div className={`ticket-header ticket-${ticket.color.toLowerCase()}`} data-testid="ticket-header" data-color={ticket.color} data-status={ticket.status}>
        <div className="ticket-card-head">
          <span className="ticket-number big" data-testid="ticket-number">
            {ticket.number}
          </span>
          <ColorTag color={ticket.color} />
          <Tag fill="outline" color={ticket.status === 'BLOCKED' ? 'danger' : 'primary'} data-testid="ticket-status">
            {t(`tickets.status.${ticket.status}`)}
          </Tag>
          {waiting && (
            <Tag color="primary" fill="outline" data-testid="ticket-pending">
              {t('alerts.pending')}
            </Tag>
          )}
        </div>
        <div className="ticket-header-title">{ticket.title}</div>
        <DueLine ticket={ticket} />
      </div>
      <TicketActions key={`${ticket.status}:${ticket.assignee?.id ?? ''}`} ticketId={ticket.id} number={ticket.number} actions={actions} onDone={refresh} />
      {ticket.details && (
        <Section title={t('tickets.details')}>
          <div className="ticket-details" data-testid="ticket-details">
            {ticket.details}
          </div>
        </Section>
      )}
      <Section title={t('tickets.facts')}>
        <List>
          <List.Item extra={t(`ticketKind.${ticket.kind}`)}>{t('tickets.kind')}</List.Item>
          {ticket.requirementType && <List.Item extra={t(`requirementType.${ticket.requirementType}`)}>{t('tickets.requirementType')}</List.Item>}
          <List.Item
            extra={
              ticket.deal ? (
                <Link to={`/deals/${ticket.deal.id}`} className="link" data-testid="ticket-deal-link">
                  {ticket.deal.title}
                </Link>
              ) : (
                '—'
              )
            }
          >
            {t('tickets.deal')}
          </List.Item>
          <List.Item extra={ticket.requester?.name ?? '—'}>{t('tickets.requester')}</List.Item>
          <List.Item extra={ticket.assignee ? `${ticket.assignee.name} · ${department}` : t('tickets.queueOf', { department })}>{t('tickets.assignee')}</List.Item>
          <List.Item extra={`${formatMinutes(ticket.slaMinutes, t)}（${ticket.calendarTime ? t('tickets.due.calendarTime') : t('tickets.due.workingTime')}）`}>{t('tickets.sla')}</List.Item>
          <List.Item extra={formatDateTime(ticket.dueAt)}>{t('tickets.dueAt')}</List.Item>
          <List.Item extra={<span data-testid="ticket-rework">{ticket.reworkCount}</span>}>{t('tickets.reworkCount')}</List.Item>
          {ticket.rating != null && <List.Item extra={<Rate readOnly value={ticket.rating} style={{ '--star-size': '16px' }} />}>{t('tickets.rating')}</List.Item>}
          <List.Item extra={formatDateTime(ticket.createdAt)}>{t('tickets.createdAt')}</List.Item>
          <List.Item extra={formatDateTime(ticket.firstResponseAt)}>{t('tickets.firstResponseAt')}</List.Item>
          {ticket.closedAt && <List.Item extra={formatDateTime(ticket.closedAt)}>{t('tickets.closedAt')}</List.Item>}
        </List>
      </Section>
      <Section title={t('tickets.history')}>
        <ol className="timeline" data-testid="ticket-history">
          {ticket.history.map((step, index) => (
            <li key={index} className={`timeline-item step-${step.action.toLowerCase()}`} data-testid="ticket-step" data-action={step.action}>
              <div className="timeline-head">
                <strong>{t(`tickets.step.${step.action}`, { defaultValue: step.action })}</strong>
                <span>{formatDateTime(step.at)}</span>
              </div>
              <div className="timeline-foot">
                {step.actor?.name ?? '—'}
                {' · '}
                {step.fromStatus ? `${t(`tickets.status.${step.fromStatus}`)} → ` : ''}
                {t(`tickets.status.${step.toStatus}`)}
              </div>
              {step.note && <div className="timeline-text">{step.note}</div>}
              {step.rating != null && <Rate readOnly value={step.rating} style={{ '--star-size': '14px' }} />}
            </li>
          ))}
        </ol>
      </Section>
    </Page>
  );
}

/**
 * The viewer's steps. One without input is sent at once; one that needs a
 * note, a reason or a rating opens a small form first. Every step goes
 * through the outbox; a refusal (FORBIDDEN, INVALID_TRANSITION, BAD_INPUT) is
 * shown here with the field it names.
 */
function TicketActions({ ticketId, number, actions, onDone }: { ticketId: string; number: string; actions: TicketActionName[]; onDone: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [form] = Form.useForm();
  const [open, setOpen] = useState<TicketActionName | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<TicketActionName | null>(null);
  // A refused step with typed input stays in the outbox as a draft; the next try replaces it.
  const [refusedId, setRefusedId] = useState<string | undefined>();
  const input = open ? ACTION_INPUT[open] : null;
  const fields = useMemo(() => [...INPUT_FIELDS], []);

  const send = async (action: TicketActionName, values: { note?: string; reason?: string; rating?: number }) => {
    if (!session) return;
    setBusy(action);
    setError(null);
    form.setFields(fields.map((name) => ({ name, errors: [] })));
    const common = {
      draft: values as Record<string, unknown>,
      draftKey: `ticket:${ticketId}:${action}`,
      route: `/tickets/${ticketId}`,
      label: t('tickets.actionLabel', { action: t(`tickets.action.${action}`), number }),
      userId: session.user.id,
      replaces: refusedId,
    };
    const note = values.note?.trim() || undefined;
    const reason = values.reason?.trim() ?? '';
    const result = await (() => {
      switch (action) {
        case 'start':
          return submitMutation(StartTicketDocument, { ...common, variables: { id: ticketId } });
        case 'deliver':
          return submitMutation(DeliverTicketDocument, { ...common, variables: { id: ticketId, note } });
        case 'accept':
          return submitMutation(AcceptTicketDocument, { ...common, variables: { id: ticketId, rating: values.rating ?? 0 } });
        case 'reject':
          return submitMutation(RejectTicketDocument, { ...common, variables: { id: ticketId, reason } });
        case 'block':
          return submitMutation(BlockTicketDocument, { ...common, variables: { id: ticketId, reason } });
        case 'unblock':
          return submitMutation(UnblockTicketDocument, { ...common, variables: { id: ticketId } });
      }
    })();
    setBusy(null);
    setRefusedId(undefined);
    if (result.status === 'done') {
      Toast.show({ icon: 'success', content: t(`tickets.done.${action}`) });
      setOpen(null);
      form.resetFields();
      onDone();
    } else if (result.status === 'queued') {
      Toast.show({ content: t('outbox.queuedToast') });
      setOpen(null);
    } else {
      // Nothing typed, nothing to keep: the reason shows here. Typed input stays as a draft until fixed or cancelled.
      if (ACTION_INPUT[action]) setRefusedId(result.entry.id);
      else void outbox.discard(result.entry.id);
      setError(result.error);
      if (input) applyFieldErrors(form, result.error, fields, ticketFieldReason);
    }
  };

  if (actions.length === 0 && !error) return null;
  return (
    <div className="ticket-actions" data-testid="ticket-actions">
      {error && <NoticeBar color="error" content={ticketErrorText(error)} wrap data-testid="ticket-error" />}
      {!open && (
        <div className="action-row wrap">
          {actions.map((action) => (
            <Button
              key={action}
              color={action === 'reject' || action === 'block' ? 'danger' : 'primary'}
              fill={action === 'block' || action === 'unblock' ? 'outline' : 'solid'}
              loading={busy === action}
              data-testid={`ticket-action-${action}`}
              onClick={() => {
                setError(null);
                if (ACTION_INPUT[action]) setOpen(action);
                else void send(action, {});
              }}
            >
              {t(`tickets.action.${action}`)}
            </Button>
          ))}
        </div>
      )}
      {open && (
        <Form
          form={form}
          layout="vertical"
          className="ticket-action-form"
          initialValues={{ rating: 5 }}
          onFinish={(values) => void send(open, values)}
          footer={
            <div className="action-row">
              <Button
                onClick={() => {
                  if (refusedId) void outbox.discard(refusedId);
                  setRefusedId(undefined);
                  setError(null);
                  setOpen(null);
                }}
                data-testid="ticket-action-cancel"
              >
                {t('common.cancel')}
              </Button>
              <Button type="submit" color={open === 'reject' || open === 'block' ? 'danger' : 'primary'} loading={busy === open} data-testid="ticket-action-submit">
                {t(`tickets.action.${open}`)}
              </Button>
            </div>
          }
        >
          <Form.Header>{t(`tickets.action.${open}`)}</Form.Header>
          {input === 'note' && (
            <Form.Item name="note" label={t('tickets.input.note')} data-testid="ticket-input-note">
              <TextArea rows={3} maxLength={2000} placeholder={t('tickets.input.notePlaceholder')} />
            </Form.Item>
          )}
          {input === 'reason' && (
            <Form.Item name="reason" label={t('tickets.input.reason')} data-testid="ticket-input-reason">
              <TextArea rows={3} maxLength={2000} placeholder={t(`tickets.input.reasonPlaceholder.${open}`)} />
            </Form.Item>
          )}
          {input === 'rating' && (
            <Form.Item name="rating" label={t('tickets.input.rating')} data-testid="ticket-input-rating">
              <Rate />
            </Form.Item>
          )}
        </Form>
      )}
    </div>
  );
}
