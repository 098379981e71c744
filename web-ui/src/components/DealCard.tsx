import { Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DealCardFragment } from '../features/deals/documents.generated';
import { formatDateTime, formatDwell, formatMoney, isOverdue } from '../lib/format';

/** One deal in a list: title, customer, stage, dwell, next follow-up; tap opens it. */
export function DealCard({ deal, action }: { deal: DealCardFragment; action?: React.ReactNode }) {
  const { t } = useTranslation();
  const overdue = isOverdue(deal.nextFollowUpAt);
  return (
    <div className="deal-card" data-testid="deal-card">
      <Link to={`/deals/${deal.id}`} className="deal-card-main">
        <div className="deal-card-title">{deal.title}</div>
        <div className="deal-card-sub">{deal.customer?.name ?? '—'}</div>
        <div className="deal-card-meta">
          <Tag color="primary" fill="outline">
            {deal.stageDetails?.name ?? deal.stage}
          </Tag>
          <span>{t('deal.inStageFor', { time: formatDwell(deal.dwellHours) })}</span>
          {deal.amount && <span>{formatMoney(deal.amount)}</span>}
        </div>
        {deal.nextFollowUpAt && (
          <div className={overdue ? 'deal-card-follow overdue' : 'deal-card-follow'}>
            {overdue ? t('deal.followUpOverdue') : t('deal.followUpDue')} {formatDateTime(deal.nextFollowUpAt)}
          </div>
        )}
      </Link>
      {action && <div className="deal-card-action">{action}</div>}
    </div>
  );
}
