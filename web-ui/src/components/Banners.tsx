import { Button, NoticeBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useOutboxEntries } from '../lib/deviceOutbox';
import { useAppStatus } from '../lib/hooks';

/** "Waiting to sync", offline and "new version" notices above every screen. */
export function Banners() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = useAppStatus();
  const entries = useOutboxEntries();
  const waiting = entries.filter((entry) => entry.state !== 'rejected').length;
  const refused = entries.length - waiting;
  return (
    <div className="banners">
      {status.clientTooOld && (
        <NoticeBar
          color="alert"
          wrap
          data-testid="banner-client-too-old"
          content={t('banner.clientTooOld')}
          extra={
            <Button size="mini" color="primary" onClick={() => window.location.reload()}>
              {t('banner.reload')}
            </Button>
          }
        />
      )}
      {!status.online && <NoticeBar color="default" wrap content={t('banner.offline')} data-testid="banner-offline" />}
      {waiting > 0 && (
        <NoticeBar color="info" wrap data-testid="banner-waiting" content={<span onClick={() => navigate('/outbox')}>{t('banner.waiting', { count: waiting })}</span>} />
      )}
      {refused > 0 && (
        <NoticeBar color="error" wrap data-testid="banner-refused" content={<span onClick={() => navigate('/outbox')}>{t('banner.refused', { count: refused })}</span>} />
      )}
    </div>
  );
}

