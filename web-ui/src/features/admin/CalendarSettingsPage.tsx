import { Button, Card, Checkbox, Form, Input, NoticeBar, SpinLoading, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import type { BusinessCalendarFieldsFragment } from './documents.generated';
import type { WeekdayValue } from '../../gql/graphql';
import { outbox, submitMutation, useOnSynced } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { useOutboxForm } from '../../lib/useOutboxForm';
import { BusinessCalendarDocument, ImportHolidaysDocument, SetBusinessCalendarDocument } from './documents.generated';

const WEEKDAYS: readonly WeekdayValue[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const FIELDS = ['timeZone', 'workdays', 'workStart', 'workEnd', 'lunchStart', 'lunchEnd', 'holidays', 'extraWorkdays'] as const;

type Values = Omit<BusinessCalendarFieldsFragment, '__typename' | 'lunchStart' | 'lunchEnd'> & { lunchStart?: string | null; lunchEnd?: string | null };

function toValues(calendar: BusinessCalendarFieldsFragment): Values {
  return {
    timeZone: calendar.timeZone,
    workdays: calendar.workdays,
    workStart: calendar.workStart,
    workEnd: calendar.workEnd,
    lunchStart: calendar.lunchStart ?? '',
    lunchEnd: calendar.lunchEnd ?? '',
    holidays: [...calendar.holidays].sort(),
    extraWorkdays: [...calendar.extraWorkdays].sort(),
  };
}

/** Admin: the org's business calendar (zone, workdays, hours, lunch, holidays and make-up days), and the official holiday file import. */
export default function CalendarSettingsPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useKeptQuery({ query: BusinessCalendarDocument });
  const { form, error, submitting, submit } = useOutboxForm('business-calendar', FIELDS);
  const calendar = result.data?.businessCalendar;
  const loadedFor = useRef<BusinessCalendarFieldsFragment | null>(null);
  useEffect(() => {
    if (calendar && loadedFor.current !== calendar) {
      loadedFor.current = calendar;
      form.setFieldsValue(toValues(calendar));
    }
  }, [calendar, form]);
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  if (!calendar) return <Page title={t('calendar.title')}>{result.fetching ? <SpinLoading className="center" /> : <NoticeBar color="error" content={result.error?.message ?? ''} />}</Page>;
  const onFinish = (values: Values) =>
    submit(
      SetBusinessCalendarDocument,
      {
        input: {
          timeZone: values.timeZone.trim(),
          workdays: WEEKDAYS.filter((day) => values.workdays?.includes(day)),
          workStart: values.workStart?.trim(),
          workEnd: values.workEnd?.trim(),
          lunchStart: values.lunchStart?.trim() || null,
          lunchEnd: values.lunchEnd?.trim() || null,
          holidays: values.holidays ?? [],
          extraWorkdays: values.extraWorkdays ?? [],
        },
      },
      {
        label: t('calendar.saveLabel'),
        route: '/settings/calendar',
        onDone: (data) => form.setFieldsValue(toValues(data.setBusinessCalendar)),
        onQueued: () => undefined,
      },
    );
  return (
    <Page title={t('calendar.title')}>
      <div className="form-intro">{t('calendar.intro')}</div>
      <HolidayImport onImported={(next) => form.setFieldsValue(toValues(next))} />
      <Card className="stage-card" title={t('calendar.hoursTitle')} data-testid="calendar-form">
        <Form
          form={form}
          layout="horizontal"
          onFinish={onFinish}
          footer={
            <Button block type="submit" color="primary" loading={submitting} data-testid="calendar-save">
              {t('common.save')}
            </Button>
          }
        >
          {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
          <Form.Item name="timeZone" label={t('calendar.timeZone')} data-testid="calendar-timeZone" help={t('calendar.timeZoneHelp')}>
            <Input placeholder="Asia/Shanghai" />
          </Form.Item>
          <Form.Item name="workdays" label={t('calendar.workdays')} layout="vertical" data-testid="calendar-workdays">
            <Checkbox.Group>
              <div className="weekday-grid">
                {WEEKDAYS.map((day) => (
                  <Checkbox key={day} value={day}>
                    {t(`weekday.${day}`)}
                  </Checkbox>
                ))}
              </div>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="workStart" label={t('calendar.workStart')} data-testid="calendar-workStart">
            <Input placeholder="09:00" maxLength={5} inputMode="numeric" clearable={false} />
          </Form.Item>
          <Form.Item name="workEnd" label={t('calendar.workEnd')} data-testid="calendar-workEnd">
            <Input placeholder="18:00" maxLength={5} inputMode="numeric" clearable={false} />
          </Form.Item>
          <Form.Item name="lunchStart" label={t('calendar.lunchStart')} data-testid="calendar-lunchStart">
            <Input placeholder="12:00" maxLength={5} inputMode="numeric" clearable={true} />
          </Form.Item>
          <Form.Item name="lunchEnd" label={t('calendar.lunchEnd')} data-testid="calendar-lunchEnd">
            <Input placeholder="13:00" maxLength={5} inputMode="numeric" clearable={true} />
          </Form.Item>
          <Form.Item name="holidays" label={t('calendar.holidays')} layout="vertical" data-testid="calendar-holidays">
            <DateList testId="holidays" color="danger" />
          </Form.Item>
          <Form.Item name="extraWorkdays" label={t('calendar.extraWorkdays')} layout="vertical" help={t('calendar.extraWorkdaysHelp')} data-testid="calendar-extraWorkdays">
            <DateList testId="extra-workdays" color="primary" />
          </Form.Item>
        </Form>
      </Card>
    </Page>
  );
}

/** A list of dates: each a removable tag, plus a date input to add one. */
function DateList({ value = [], onChange, testId, color }: { value?: string[]; onChange?: (value: string[]) => void; testId: string; color: string }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const byYear = new Map<string, string[]>();
  for (const date of [...value].sort()) byYear.set(date.slice(0, 4), [...(byYear.get(date.slice(0, 4)) ?? []), date]);
  return (
    <div className="date-list" data-testid={`date-list-${testId}`}>
      <div className="date-list-count muted">{t('calendar.dateCount', { count: value.length })}</div>
      {[...byYear.entries()].map(([year, dates]) => (
        <div key={year} className="date-list-year">
          <span className="date-list-year-label">{year}</span>
          {dates.map((date) => (
            <Tag key={date} color={color} fill="outline" className="date-tag">
              {date.slice(5)}
              <button type="button" className="date-remove" aria-label={t('calendar.remove', { date })} onClick={() => onChange?.(value.filter((one) => one !== date))}>
                ×
              </button>
            </Tag>
          ))}
        </div>
      ))}
      <div className="date-list-add">
        <Input className="date-input" placeholder="2026-10-01" maxLength={10} value={draft} onChange={setDraft} data-testid={`date-add-${testId}`} />
        <Button
          size="small"
          disabled={!/^\d{4}-\d{2}-\d{2}$/.test(draft.trim())}
          onClick={() => {
            const date = draft.trim();
            if (!value.includes(date)) onChange?.([...value, date].sort());
            setDraft('');
          }}
        >
          {t('calendar.add')}
        </Button>
      </div>
    </div>
  );
}

/** The official holiday schedule (CSV `date,kind,name` or JSON): picked as a file, read as text, sent as it is. */
function HolidayImport({ onImported }: { onImported: (calendar: BusinessCalendarFieldsFragment) => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [file, setFile] = useState<{ name: string; text: string; lines: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const send = async () => {
    if (!file || !session) return;
    setBusy(true);
    setError(null);
    const result = await submitMutation(ImportHolidaysDocument, {
      variables: { schedule: file.text },
      draft: { name: file.name },
      draftKey: 'import-holidays',
      route: '/settings/calendar',
      label: t('calendar.importLabel', { file: file.name }),
      userId: session.user.id,
    });
    setBusy(false);
    if (result.status === 'done' && result.data) {
      Toast.show({ icon: 'success', content: t('calendar.imported') });
      onImported((result.data as { importHolidays: BusinessCalendarFieldsFragment }).importHolidays);
      setFile(null);
      if (input.current) input.current.value = '';
    } else if (result.status === 'queued') {
      Toast.show({ content: t('outbox.queuedToast') });
    } else if (result.status === 'rejected') {
      // The file is still picked: nothing to keep as a draft.
      void outbox.discard(result.entry.id);
      setError(result.error);
    }
  };
  return (
    <Card className="stage-card" title={t('calendar.importTitle')} data-testid="holiday-import">
      <div className="muted">{t('calendar.importHelp')}</div>
      {error && <NoticeBar color="error" content={`${errorText(error)} · ${error.message}`} wrap data-testid="import-error" />}
      <div className="holiday-import-row">
        {/* The browser's own file button speaks the browser's language: a hidden input behind our button. */}
        <input
          ref={input}
          type="file"
          hidden
          accept=".csv,.json,text/csv,application/json"
          data-testid="holiday-file"
          onChange={async (event) => {
            const picked = event.target.files?.[0];
            if (!picked) return setFile(null);
            const text = await picked.text();
            setFile({ name: picked.name, text, lines: text.split(/\r?\n/).filter((line) => line.trim() !== '').length });
          }}
        />
        <Button size="small" onClick={() => input.current?.click()} data-testid="holiday-pick">
          {t('calendar.pickFile')}
        </Button>
        <span className="holiday-file-name">{file ? t('calendar.picked', { file: file.name, lines: file.lines }) : t('calendar.noFile')}</span>
        <Button size="small" color="primary" disabled={!file} loading={busy} onClick={() => void send()} data-testid="holiday-import-submit">
          {t('calendar.import')}
        </Button>
      </div>
    </Card>
  );
}
