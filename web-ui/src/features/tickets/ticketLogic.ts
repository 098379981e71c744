/**
 * What the ticket screens decide on the device: which steps the viewer may
 * take (mirroring the server's rules, which still have the last word) and how
 * the SLA time left reads. The time left itself always comes from the server
 * (`remainingMinutes`, counted in the org's working time): no calendar
 * arithmetic happens here.
 */
import type { TFunction } from 'i18next';
import type { SlaColorValue, TicketStatusValue } from '../../gql/graphql';

export type TicketActionName = 'start' | 'deliver' | 'accept' | 'reject' | 'block' | 'unblock';

/** The order the actions are offered in. */
export const ACTION_ORDER: readonly TicketActionName[] = ['start', 'deliver', 'accept', 'reject', 'block', 'unblock'];

/** Actions that need something typed or chosen before they are sent. */
export const ACTION_INPUT: Record<TicketActionName, 'note' | 'rating' | 'reason' | null> = {
  start: null,
  deliver: 'note',
  accept: 'rating',
  reject: 'reason',
  block: 'reason',
  unblock: null,
};

export interface TicketForActions {
  status: TicketStatusValue;
  department: string;
  assignee?: { id: string } | null;
  requester?: { id: string } | null;
}

export interface Viewer {
  id: string;
  role: string;
}

/** The department queue a role works from (sales roles share SALES). */
export function departmentOf(role: string): string {
  return ['REP', 'MANAGER', 'MARKETING', 'ADMIN'].includes(role) ? 'SALES' : role;
}

/** How the viewer stands to the ticket. */
export function viewerParties(ticket: TicketForActions, viewer: Viewer) {
  const isAssignee = !!ticket.assignee && ticket.assignee.id === viewer.id;
  const inQueue = !ticket.assignee && ticket.department === departmentOf(viewer.role);
  return {
    isRequester: !!ticket.requester && ticket.requester.id === viewer.id,
    isAssignee,
    inQueue,
    worker: isAssignee || inQueue,
    isAdmin: viewer.role === 'ADMIN',
  };
}

/**
 * Exactly the steps the viewer may take now: the assignee (or its department
 * while unassigned) starts and delivers; the requester accepts or rejects a
 * delivery; anyone on the ticket (or an admin) blocks and unblocks.
 */
export function availableActions(ticket: TicketForActions, viewer: Viewer): TicketActionName[] {
  const { worker, isRequester, isAdmin } = viewerParties(ticket, viewer);
  const involved = worker || isRequester || isAdmin;
  const status = ticket.status;
  const allowed: Record<TicketActionName, boolean> = {
    start: status === 'OPEN' && worker,
    deliver: (status === 'OPEN' || status === 'IN_PROGRESS') && worker,
    accept: status === 'DELIVERED' && isRequester,
    reject: status === 'DELIVERED' && isRequester,
    block: (status === 'OPEN' || status === 'IN_PROGRESS' || status === 'DELIVERED') && involved,
    unblock: status === 'BLOCKED' && involved,
  };
  return ACTION_ORDER.filter((action) => allowed[action]);
}

/** Minutes as "1小时36分钟" / "1 h 36 min" (whole minutes, no days: working days vary in length). */
export function formatMinutes(minutes: number, t: TFunction): string {
  const total = Math.abs(Math.trunc(minutes));
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return t('tickets.duration.minutes', { minutes: rest });
  if (rest === 0) return t('tickets.duration.hours', { hours });
  return t('tickets.duration.hoursMinutes', { hours, minutes: rest });
}

export interface DueInput {
  status: TicketStatusValue;
  color: SlaColorValue;
  remainingMinutes: number;
  dueAt?: string | null;
  calendarTime: boolean;
}

export type DueTone = 'green' | 'yellow' | 'red' | 'paused' | 'done';

/**
 * The countdown line of a ticket: time left (or over) in working time, or
 * why the clock is not running (delivered and waiting for the requester, or
 * closed).
 */
export function dueText(ticket: DueInput, t: TFunction): { text: string; tone: DueTone } {
  if (ticket.status === 'ACCEPTED') return { text: t('tickets.due.closed'), tone: 'done' };
  if (ticket.status === 'DELIVERED' || !ticket.dueAt) return { text: t('tickets.due.paused'), tone: 'paused' };
  const basis = ticket.calendarTime ? t('tickets.due.calendarTime') : t('tickets.due.workingTime');
  const time = formatMinutes(ticket.remainingMinutes, t);
  const tone: DueTone = ticket.color === 'RED' ? 'red' : ticket.color === 'YELLOW' ? 'yellow' : 'green';
  if (ticket.remainingMinutes < 0) return { text: t('tickets.due.over', { time, basis }), tone: 'red' };
  return { text: t('tickets.due.left', { time, basis }), tone };
}

/** Colours in board order. */
export const COLORS: readonly SlaColorValue[] = ['GREEN', 'YELLOW', 'RED'];

/** Most urgent first: least time left; closed and paused tickets last. */
export function byUrgency<T extends DueInput>(tickets: readonly T[]): T[] {
  const rank = (ticket: T) => (ticket.status === 'ACCEPTED' ? 2 : ticket.status === 'DELIVERED' || !ticket.dueAt ? 1 : 0);
  return [...tickets].sort((a, b) => rank(a) - rank(b) || a.remainingMinutes - b.remainingMinutes);
}
