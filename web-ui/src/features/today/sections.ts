import type { ComponentType } from 'react';
import { TodayAlertsSection } from '../alerts/TodayAlertsSection';

/**
 * Extra Today sections (my open alerts, later my tickets); each renders its
 * own list with one-tap actions and reloads when `refreshKey` changes (pull
 * to refresh).
 */
export interface TodaySection {
  key: string;
  Component: ComponentType<{ refreshKey: number }>;
}

export const todaySections: TodaySection[] = [{ key: 'alerts', Component: TodayAlertsSection }];
