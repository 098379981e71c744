import { Button } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Section } from '../../components/Page';
import { useOnSynced } from '../../lib/deviceOutbox';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { usePolling } from '../../lib/usePolling';
import { TicketsDocument } from './documents.generated';
import { TicketCard } from './TicketCard';
import { byUrgency } from './ticketLogic';
import { TICKET_REFRESH_MS } from './ticketRefresh';

/** The deal page's tickets, most urgent first, with "raise a ticket". */
export function DealTicketsSection({ dealId }: { dealId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useKeptQuery({ query: TicketsDocument, variables: { filter: { scope: 'ALL' as const, dealId }, first: 50 } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  usePolling(refresh, TICKET_REFRESH_MS);
  useOnSynced(refresh);
  const tickets = result.data?.tickets;
  return (
    <Section
      title={t('tickets.ofDeal', { count: tickets?.totalCount ?? 0 })}
      extra={
        <Button size="mini" color="primary" fill="none" onClick={() => navigate(`/deals/${dealId}/tickets/new`)}>
          {t('tickets.raise')}
        </Button>
      }
      testId="deal-tickets"
    >
      {tickets && tickets.nodes.length === 0 && <div className="muted padded">{t('tickets.noneOnDeal')}</div>}
      {tickets && tickets.nodes.length > 0 && (
        <div className="ticket-list">
          {byUrgency(tickets.nodes).map((ticket) => (
            <TicketCard key={ticket.id} ticket={ticket} />
          ))}
        </div>
      )}
    </Section>
  );
}
