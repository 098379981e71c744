/** Display helpers that follow the chosen language. */
import i18n from '../i18n';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'zh-CN';
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(iso));
}

export function formatMoney(money: { amount: string; currency: string } | null | undefined): string {
  if (!money) return '—';
  const value = Number(money.amount);
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency: money.currency, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

/** Money to the cent ("¥4,000.50"), where rounding would mislead (what may still be paid). */
export function formatMoneyExact(money: { amount: string; currency: string }): string {
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency: money.currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(money.amount));
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

/** Hours as "3d 4h" / "3天4小时". */
export function formatDwell(hours: number): string {
  const days = Math.floor(hours / 24);
  const rest = Math.floor(hours % 24);
  if (days > 0) return i18n.t('time.daysHours', { days, hours: rest });
  if (hours >= 1) return i18n.t('time.hours', { hours: Math.floor(hours) });
  return i18n.t('time.minutes', { minutes: Math.max(1, Math.round(hours * 60)) });
}

/** The end of the local day, as the API's RFC 3339. */
export function endOfToday(now = new Date()): string {
  const end = new Date(now);
  end.setHours(23, 59, 59, 999);
  return end.toISOString();
}

/** `datetime-local` input value → RFC 3339 (undefined when empty). */
export function localInputToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A `datetime-local` value for a moment some hours from now. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function isOverdue(iso: string | null | undefined, now = Date.now()): boolean {
  return !!iso && Date.parse(iso) < now;
}
