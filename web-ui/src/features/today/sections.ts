import type { ComponentType } from 'react';
import { TodayAlertsSection } from '../alerts/TodayAlertsSection';
import { TodayTicketsSection } from '../tickets/TodayTicketsSection';

/**
 * Extra Today sections (my ticket queue, my open alerts); each renders its
 * own list with one-tap actions and reloads when `refreshKey` changes (pull
 * to refresh).
 */
export interface TodaySection {
  key: string;
  Component: ComponentType<{ refreshKey: number }>;
}

export const todaySections: TodaySection[] = [
  { key: 'tickets', Component: TodayTicketsSection },
  { key: 'alerts', Component: TodayAlertsSection },
];
