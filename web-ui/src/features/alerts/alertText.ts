import type { TFunction } from 'i18next';
import type { AlertKindValue } from '../../gql/graphql';
import { formatDateTime } from '../../lib/format';

/** What `alertText` needs from an alert. */
export interface AlertTextInput {
  kind: AlertKindValue;
  /** The server's zh-CN sentence, used when the figures are not there. */
  title: string;
  details: unknown;
  subject?: { __typename?: string; title?: string; name?: string; number?: string } | null;
}

type Details = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * One sentence per alert in the current language, built from its kind and the
 * rule's figures in `details`. Kinds without a sentence yet, or details
 * missing a figure, fall back to the server's zh-CN `title`.
 */
export function alertText(alert: AlertTextInput, t: TFunction, stageName: (key: string) => string = (key) => key): string {
  const details: Details = alert.details && typeof alert.details === 'object' ? (alert.details as Details) : {};
  const deal = text(details.dealTitle) ?? (alert.subject?.__typename === 'Deal' ? text(alert.subject.title) : undefined);
  switch (alert.kind) {
    case 'STAGE_STUCK': {
      const stage = text(details.stage);
      const hours = number(details.thresholdHours);
      if (deal && stage && hours !== undefined) return t('alertText.STAGE_STUCK', { deal, stage: stageName(stage), hours });
      break;
    }
    case 'FOLLOW_UP_OVERDUE': {
      const due = text(details.nextFollowUpAt);
      if (deal && due) return t('alertText.FOLLOW_UP_OVERDUE', { deal, due: formatDateTime(due) });
      break;
    }
    case 'PING_PONG': {
      const days = number(details.windowDays);
      const count = number(details.reassignments);
      if (deal && days !== undefined && count !== undefined) return t('alertText.PING_PONG', { deal, days, times: count });
      break;
    }
    case 'NEWCOMER_STUCK': {
      const name = text(details.repName) ?? (alert.subject?.__typename === 'User' ? text(alert.subject.name) : undefined);
      const stage = text(details.stage);
      const count = number(details.stuckDeals);
      if (name && stage && count !== undefined) return t('alertText.NEWCOMER_STUCK', { name, stage: stageName(stage), deals: count });
      break;
    }
    case 'SLA_WARNING':
    case 'SLA_BREACHED': {
      const ticket = alert.subject?.__typename === 'Ticket' ? alert.subject : undefined;
      const code = text(details.code) ?? text(ticket?.number);
      const title = text(details.ticketTitle) ?? text(ticket?.title);
      if (code && title) return t(`alertText.${alert.kind}`, { code, title });
      break;
    }
    default:
      break;
  }
  return alert.title;
}
