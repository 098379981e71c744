import type { ComponentType } from 'react';

/**
 * Extra Today sections (my open alerts, my tickets) register here once the
 * API serves them; each renders its own list with one-tap actions.
 */
export interface TodaySection {
  key: string;
  Component: ComponentType;
}

export const todaySections: TodaySection[] = [];
