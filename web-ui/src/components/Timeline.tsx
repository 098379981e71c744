import { Empty } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { TimelineItemFragment } from '../features/deals/documents.generated';
import { formatDateTime } from '../lib/format';

/** Activities, stage changes and reassignments, newest first. */
export function Timeline({ events, stageName }: { events: TimelineItemFragment[]; stageName: (key: string) => string }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty description={t('timeline.empty')} />;
  const newestFirst = [...events].reverse();
  return (
    <ol className="timeline" data-testid="timeline">
      {newestFirst.map((event) => {
        switch (event.__typename) {
          case 'Activity':
            return (
              <li key={`a-${event.id}`} className="timeline-item activity">
                <div className="timeline-head">
                  <strong>{t(`activityKind.${event.kind}`)}</strong>
                  <span>{formatDateTime(event.occurredAt)}</span>
                </div>
                <div className="timeline-text">{event.text}</div>
                <div className="timeline-foot">
                  {event.author?.name}
                  {event.contact && ` · ${t('timeline.with', { name: event.contact.name })}`}
                  {event.nextFollowUpAt && ` · ${t('timeline.nextFollowUp', { time: formatDateTime(event.nextFollowUpAt) })}`}
                </div>
              </li>
            );
          case 'StageTransition':
            return (
              <li key={`s-${event.id}`} className="timeline-item transition">
                <div className="timeline-head">
                  <strong>
                    {event.fromStage
                      ? t('timeline.moved', { from: stageName(event.fromStage), to: stageName(event.toStage) })
                      : t('timeline.created', { to: stageName(event.toStage) })}
                  </strong>
                  <span>{formatDateTime(event.at)}</span>
                </div>
                {event.coreNeed && <div className="timeline-text">{t('timeline.coreNeed', { text: event.coreNeed })}</div>}
                {event.lostReason && <div className="timeline-text">{t('timeline.lostReason', { text: event.lostReason })}</div>}
                <div className="timeline-foot">
                  {event.by?.name}
                  {event.backward && ` · ${t('timeline.backward')}`}
                  {event.forwardSkips > 0 && ` · ${t('timeline.skipped', { count: event.forwardSkips })}`}
                </div>
              </li>
            );
          case 'DealReassignment':
            return (
              <li key={`r-${event.id}`} className="timeline-item reassignment">
                <div className="timeline-head">
                  <strong>{t('timeline.reassigned', { from: event.fromOwner?.name ?? '—', to: event.toOwner?.name ?? '—' })}</strong>
                  <span>{formatDateTime(event.at)}</span>
                </div>
                <div className="timeline-foot">{event.by?.name}</div>
              </li>
            );
          default:
            return null;
        }
      })}
    </ol>
  );
}
