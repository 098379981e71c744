import { Badge, Button } from 'antd-mobile';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Section } from '../../components/Page';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { usePolling } from '../../lib/usePolling';
import { TicketsDocument } from './documents.generated';
import { TicketCard } from './TicketCard';
import { byUrgency, COLORS } from './ticketLogic';
import { TICKET_REFRESH_MS } from './ticketRefresh';

const SHOWN = 5;

/** Today: my queue's open tickets, counted by colour, the most urgent first. */
export function TodayTicketsSection({ refreshKey }: { refreshKey: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useKeptQuery({ query: TicketsDocument, variables: { filter: { scope: 'MY_QUEUE' as const }, first: 100 } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  usePolling(refresh, TICKET_REFRESH_MS);
  const firstKey = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey !== firstKey.current) refresh();
  }, [refreshKey, refresh]);
  const nodes = result.data?.tickets.nodes;
  if (!nodes) return null;
  const open = byUrgency(nodes.filter((ticket) => ticket.status !== 'ACCEPTED'));
  return (
    <Section
      title={
        <span className="title-with-badge">
          {t('today.tickets')}
          <Badge content={open.length > 0 ? String(open.length) : null} data-testid="today-tickets-count" />
        </span>
      }
      extra={
        <Button size="mini" fill="none" onClick={() => navigate('/tickets')} data-testid="today-all-tickets">
          {t('today.allTickets')}
        </Button>
      }
      testId="today-tickets"
    >
      {open.length === 0 ? (
        <div className="muted padded">{t('today.nothingTickets')}</div>
      ) : (
        <>
          <div className="ticket-color-summary" data-testid="today-tickets-colors">
            {COLORS.map((color) => (
              <span key={color} className={`color-count count-${color.toLowerCase()}`}>
                <span className={`color-dot dot-${color.toLowerCase()}`} />
                {t(`tickets.color.${color}`)} {open.filter((ticket) => ticket.color === color).length}
              </span>
            ))}
          </div>
          <div className="ticket-list">
            {open.slice(0, SHOWN).map((ticket) => (
              <TicketCard key={ticket.id} ticket={ticket} show="requester" />
            ))}
          </div>
        </>
      )}
    </Section>
  );
}
