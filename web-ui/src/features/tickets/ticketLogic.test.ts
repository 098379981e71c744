import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import type { TicketStatusValue } from '../../gql/graphql';
import { availableActions, byUrgency, departmentOf, dueText, formatMinutes, type TicketForActions } from './ticketLogic';

const rep = { id: 'rep', role: 'REP' };
const otherRep = { id: 'rep2', role: 'REP' };
const tech = { id: 'tech', role: 'TECH' };
const otherTech = { id: 'tech2', role: 'TECH' };
const delivery = { id: 'del', role: 'DELIVERY' };
const admin = { id: 'admin', role: 'ADMIN' };

const ticket = (status: TicketStatusValue, assignee: string | null = null): TicketForActions => ({
  status,
  department: 'TECH',
  requester: { id: 'rep' },
  assignee: assignee ? { id: assignee } : null,
});

describe('available ticket actions', () => {
  it('maps roles to department queues', () => {
    expect(departmentOf('REP')).toBe('SALES');
    expect(departmentOf('MANAGER')).toBe('SALES');
    expect(departmentOf('ADMIN')).toBe('SALES');
    expect(departmentOf('TECH')).toBe('TECH');
    expect(departmentOf('DELIVERY')).toBe('DELIVERY');
  });

  it('lets the department queue start and deliver an unassigned open ticket', () => {
    expect(availableActions(ticket('OPEN'), tech)).toEqual(['start', 'deliver', 'block']);
    expect(availableActions(ticket('OPEN'), otherTech)).toEqual(['start', 'deliver', 'block']);
  });

  it('once assigned, only the assignee works on it', () => {
    expect(availableActions(ticket('IN_PROGRESS', 'tech'), tech)).toEqual(['deliver', 'block']);
    expect(availableActions(ticket('IN_PROGRESS', 'tech'), otherTech)).toEqual([]);
    expect(availableActions(ticket('OPEN', 'tech'), otherTech)).toEqual([]);
  });

  it('never lets the requester deliver, nor another department act', () => {
    expect(availableActions(ticket('OPEN'), rep)).toEqual(['block']);
    expect(availableActions(ticket('IN_PROGRESS', 'tech'), rep)).toEqual(['block']);
    expect(availableActions(ticket('OPEN'), delivery)).toEqual([]);
    expect(availableActions(ticket('OPEN'), otherRep)).toEqual([]);
  });

  it('gives a delivery to the requester to accept or reject', () => {
    expect(availableActions(ticket('DELIVERED', 'tech'), rep)).toEqual(['accept', 'reject', 'block']);
    expect(availableActions(ticket('DELIVERED', 'tech'), tech)).toEqual(['block']);
    expect(availableActions(ticket('DELIVERED', 'tech'), otherRep)).toEqual([]);
  });

  it('unblocks for the people on the ticket and admins; nothing once accepted', () => {
    expect(availableActions(ticket('BLOCKED', 'tech'), tech)).toEqual(['unblock']);
    expect(availableActions(ticket('BLOCKED', 'tech'), rep)).toEqual(['unblock']);
    expect(availableActions(ticket('BLOCKED', 'tech'), admin)).toEqual(['unblock']);
    expect(availableActions(ticket('BLOCKED', 'tech'), otherTech)).toEqual([]);
    for (const viewer of [rep, tech, admin]) expect(availableActions(ticket('ACCEPTED', 'tech'), viewer)).toEqual([]);
  });

  it('treats an admin as a SALES queue member and as someone who may block', () => {
    expect(availableActions({ ...ticket('OPEN'), department: 'SALES' }, admin)).toEqual(['start', 'deliver', 'block']);
    expect(availableActions(ticket('IN_PROGRESS', 'tech'), admin)).toEqual(['block']);
  });
});

describe('countdown formatting', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('zh-CN');
  });
  afterAll(async () => {
    await i18n.changeLanguage('zh-CN');
  });

  const running = { status: 'IN_PROGRESS' as const, color: 'GREEN' as const, dueAt: '2030-01-01T00:00:00Z', calendarTime: false };

  it('formats minutes as hours and minutes in both languages', async () => {
    expect(formatMinutes(0, i18n.t)).toBe('0分钟');
    expect(formatMinutes(45, i18n.t)).toBe('45分钟');
    expect(formatMinutes(120, i18n.t)).toBe('2小时');
    expect(formatMinutes(96, i18n.t)).toBe('1小时36分钟');
    expect(formatMinutes(-20, i18n.t)).toBe('20分钟');
    expect(formatMinutes(1500, i18n.t)).toBe('25小时');
    await i18n.changeLanguage('en');
    expect(formatMinutes(45, i18n.t)).toBe('45 min');
    expect(formatMinutes(120, i18n.t)).toBe('2 h');
    expect(formatMinutes(96, i18n.t)).toBe('1 h 36 min');
  });

  it('says the time left in working time, with the colour as its tone', () => {
    expect(dueText({ ...running, remainingMinutes: 120 }, i18n.t)).toEqual({ text: '剩余 2小时（工作时间）', tone: 'green' });
    expect(dueText({ ...running, color: 'YELLOW', remainingMinutes: 24 }, i18n.t)).toEqual({ text: '剩余 24分钟（工作时间）', tone: 'yellow' });
    expect(dueText({ ...running, calendarTime: true, remainingMinutes: 90 }, i18n.t)).toEqual({ text: '剩余 1小时30分钟（自然时间）', tone: 'green' });
  });

  it('says how far over a breached ticket is', async () => {
    expect(dueText({ ...running, color: 'RED', remainingMinutes: -35 }, i18n.t)).toEqual({ text: '已超时 35分钟（工作时间）', tone: 'red' });
    await i18n.changeLanguage('en');
    expect(dueText({ ...running, color: 'RED', remainingMinutes: -65 }, i18n.t).text).toBe('1 h 5 min over (working time)');
    expect(dueText({ ...running, remainingMinutes: 30 }, i18n.t).text).toBe('30 min left (working time)');
  });

  it('says the clock is paused while delivered and stopped once closed', () => {
    expect(dueText({ ...running, status: 'DELIVERED', dueAt: null, remainingMinutes: 50 }, i18n.t)).toEqual({ text: '已交付，等待验收（计时暂停）', tone: 'paused' });
    expect(dueText({ ...running, status: 'ACCEPTED', dueAt: null, remainingMinutes: 50 }, i18n.t)).toEqual({ text: '已完成', tone: 'done' });
  });

  it('sorts the most urgent first, paused and closed last', () => {
    const list = [
      { ...running, id: 'a', remainingMinutes: 100 },
      { ...running, id: 'b', status: 'ACCEPTED' as const, remainingMinutes: -500 },
      { ...running, id: 'c', remainingMinutes: -10 },
      { ...running, id: 'd', status: 'DELIVERED' as const, dueAt: null, remainingMinutes: 5 },
      { ...running, id: 'e', remainingMinutes: 20 },
    ];
    expect(byUrgency(list).map((item) => item.id)).toEqual(['c', 'e', 'a', 'd', 'b']);
  });
});
