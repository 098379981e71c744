import { Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SlaColorValue } from '../../gql/graphql';
import type { TicketCardFragment } from './documents.generated';
import { dueText } from './ticketLogic';

const TAG_COLOR: Record<SlaColorValue, string> = { GREEN: 'success', YELLOW: 'warning', RED: 'danger' };

/** The SLA colour as a tag that says its name (not colour alone). */
export function ColorTag({ color }: { color: SlaColorValue }) {
  const { t } = useTranslation();
  return (
    <Tag color={TAG_COLOR[color]} data-testid="ticket-color" data-color={color}>
      {t(`tickets.color.${color}`)}
    </Tag>
  );
}

/** The countdown line (time left in working time, or why the clock is stopped). */
export function DueLine({ ticket }: { ticket: TicketCardFragment }) {
  const { t } = useTranslation();
  const due = dueText(ticket, t);
  return (
    <span className={`ticket-due due-${due.tone}`} data-testid="ticket-due">
      {due.text}
    </span>
  );
}

/** One ticket in a list or board column: number, colour, title, countdown; a tap opens it. */
export function TicketCard({ ticket, show = 'both' }: { ticket: TicketCardFragment; show?: 'assignee' | 'requester' | 'both' }) {
  const { t } = useTranslation();
  const people = [
    show !== 'assignee' && ticket.requester ? t('tickets.fromPerson', { name: ticket.requester.name }) : null,
    show !== 'requester' ? (ticket.assignee ? t('tickets.toPerson', { name: ticket.assignee.name }) : t('tickets.toQueue', { department: t(`tickets.department.${ticket.department}`, { defaultValue: ticket.department }) })) : null,
  ].filter(Boolean);
  return (
    <Link
      to={`/tickets/${ticket.id}`}
      className={`ticket-card ticket-${ticket.color.toLowerCase()}`}
      data-testid="ticket-card"
      data-ticket-id={ticket.id}
      data-color={ticket.color}
      data-status={ticket.status}
    >
      <div className="ticket-card-head">
        <span className="ticket-number" data-testid="ticket-number">
          {ticket.number}
        </span>
        <ColorTag color={ticket.color} />
        <Tag fill="outline" color={ticket.status === 'BLOCKED' ? 'danger' : 'default'}>
          {t(`tickets.status.${ticket.status}`)}
        </Tag>
        {ticket.reworkCount > 0 && (
          <Tag fill="outline" color="warning">
            {t('tickets.reworkShort', { count: ticket.reworkCount })}
          </Tag>
        )}
      </div>
      <div className="ticket-card-title">{ticket.title}</div>
      <div className="ticket-card-meta">
        <span>{t(`ticketKind.${ticket.kind}`)}</span>
        {ticket.deal && <span className="ticket-card-deal">{ticket.deal.title}</span>}
        {people.map((person) => (
          <span key={person as string}>{person}</span>
        ))}
      </div>
      <DueLine ticket={ticket} />
    </Link>
  );
}
