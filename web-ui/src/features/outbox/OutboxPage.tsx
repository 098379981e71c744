import { Button, Dialog, Empty, List, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Page } from '../../components/Page';
import { outbox, useOutboxEntries } from '../../lib/deviceOutbox';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/formErrors';

/** Everything submitted on this device that the server has not accepted yet. */
export default function OutboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const entries = useOutboxEntries();
  return (
    <Page title={t('outbox.title')} right={<Button size="mini" onClick={() => void outbox.retryNow()}>{t('outbox.retryAll')}</Button>}>
      {entries.length === 0 && <Empty description={t('outbox.empty')} />}
      <List>
        {entries.map((entry) => (
          <List.Item
            key={entry.id}
            data-testid="outbox-entry"
            title={formatDateTime(new Date(entry.createdAt).toISOString())}
            description={
              <>
                <Tag color={entry.state === 'rejected' ? 'danger' : 'warning'}>{t(`outbox.state.${entry.state}`)}</Tag>{' '}
                {entry.error && errorText(entry.error)}
                {entry.attempts > 0 && ` · ${t('outbox.attempts', { count: entry.attempts })}`}
              </>
            }
            extra={
              <div className="outbox-actions">
                <Button size="mini" color="primary" onClick={() => navigate(entry.route)}>
                  {t('outbox.open')}
                </Button>
                <Button
                  size="mini"
                  color="danger"
                  fill="none"
                  onClick={async () => {
                    if (await Dialog.confirm({ content: t('outbox.discardConfirm') })) await outbox.discard(entry.id);
                  }}
                >
                  {t('outbox.discard')}
                </Button>
              </div>
            }
          >
            {entry.label}
          </List.Item>
        ))}
      </List>
    </Page>
  );
}
