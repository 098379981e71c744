/** Wording of the collaboration health figures (C5). */
import type { TFunction } from 'i18next';

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${Math.round(value * 1000) / 10}%`;
}

/** Minutes as "45 分钟" / "3.5 小时"; none as a dash. */
export function formatResponse(value: number | null | undefined, t: TFunction): string {
  if (value === null || value === undefined) return '—';
  if (value < 60) return t('collab.minutesShort', { value: Math.round(value) });
  return t('collab.hoursShort', { value: Math.round((value / 60) * 10) / 10 });
}

export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : (Math.round(value * 10) / 10).toFixed(1);
}

/** A group's name: a department or a ticket kind, in the chosen language. */
export function groupName(group: string, by: 'department' | 'kind', t: TFunction): string {
  return by === 'department' ? t(`tickets.department.${group}`, { defaultValue: group }) : t(`ticketKind.${group}`, { defaultValue: group });
}
