import { Button, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Page, Section } from '../../components/Page';
import { useSession } from '../../lib/hooks';
import { logout } from '../../lib/session';
import { APP_VERSION } from '../../lib/version';
import { LanguageSwitch } from './LanguageSwitch';
import '../receivables/i18n';

export default function SettingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const isAdmin = session?.user.role === 'ADMIN';
  const managesPeople = session?.user.role === 'MANAGER' || isAdmin;
  const readsCollectionReport = managesPeople || session?.user.role === 'FINANCE';
  return (
    <Page title={t('settings.title')} back={false}>
      <Section title={session?.user.name ?? ''}>
        <List>
          <List.Item extra={session?.user.orgName}>{t('settings.org')}</List.Item>
          <List.Item extra={session?.user.email}>{t('login.email')}</List.Item>
          <List.Item extra={session ? t(`role.${session.user.role}`) : ''}>{t('settings.role')}</List.Item>
        </List>
      </Section>
      <Section title={t('settings.language')}>
        <div className="padded">
          <LanguageSwitch />
        </div>
      </Section>
      <List>
        <List.Item onClick={() => navigate('/alerts')} data-testid="settings-alerts">
          {t('alerts.title')}
        </List.Item>
        <List.Item onClick={() => navigate('/funnel')} data-testid="settings-funnel">
          {t('funnel.title')}
        </List.Item>
        {managesPeople && (
          <List.Item onClick={() => navigate('/team')} data-testid="settings-team">
            {t('team.title')}
          </List.Item>
        )}
        <List.Item onClick={() => navigate('/tickets')} data-testid="settings-tickets">
          {t('tickets.title')}
        </List.Item>
        {managesPeople && (
          <List.Item onClick={() => navigate('/collab-health')} data-testid="settings-collab">
            {t('collab.title')}
          </List.Item>
        )}
        <List.Item onClick={() => navigate('/settings/notifications')} data-testid="settings-notifications">
          {t('prefs.title')}
        </List.Item>
        <List.Item onClick={() => navigate('/outbox')}>{t('outbox.title')}</List.Item>
        <List.Item onClick={() => navigate('/pipeline')}>{t('pipeline.title')}</List.Item>
        {isAdmin && (
          <List.Item onClick={() => navigate('/settings/stages')} data-testid="settings-stages">
            {t('admin.stages')}
          </List.Item>
        )}
        {isAdmin && (
          <List.Item onClick={() => navigate('/settings/calendar')} data-testid="settings-calendar">
            {t('calendar.title')}
          </List.Item>
        )}
        {isAdmin && (
          <List.Item onClick={() => navigate('/settings/sla')} data-testid="settings-sla">
            {t('sla.title')}
          </List.Item>
        )}
        {isAdmin && (
          <List.Item onClick={() => navigate('/settings/risk-thresholds')} data-testid="settings-risk-thresholds">
            {t('thresholds.title')}
          </List.Item>
        )}
        {isAdmin && (
          <List.Item onClick={() => navigate('/settings/alert-rules')} data-testid="settings-alert-rules">
            {t('alertRules.title')}
          </List.Item>
        )}
        {isAdmin && (
          <List.Item onClick={() => navigate('/settings/channels')} data-testid="settings-channels">
            {t('channels.title')}
          </List.Item>
        )}
        {isAdmin && (
          <List.Item onClick={() => navigate('/settings/deliveries')} data-testid="settings-deliveries">
            {t('deliveries.title')}
          </List.Item>
        )}
        <List.Item onClick={() => navigate('/finance/receivables')} data-testid="settings-receivables">
          {t('finance.receivables')}
        </List.Item>
        <List.Item onClick={() => navigate('/finance/forecast')} data-testid="settings-forecast">
          {t('finance.forecast')}
        </List.Item>
        <List.Item onClick={() => navigate('/risk')} data-testid="settings-risk">
          {t('finance.risk')}
        </List.Item>
        {readsCollectionReport && (
          <List.Item onClick={() => navigate('/finance/collection-report')} data-testid="settings-collection-report">
            {t('report.title')}
          </List.Item>
        )}
        {(session?.user.role === 'FINANCE' || isAdmin) && (
          <List.Item onClick={() => navigate('/finance/import')} data-testid="settings-import">
            {t('finance.import')}
          </List.Item>
        )}
      </List>
      <div className="padded">
        <Button block color="danger" fill="outline" onClick={() => void logout().then(() => navigate('/login'))} data-testid="logout">
          {t('settings.logout')}
        </Button>
        <div className="muted center-text">{t('settings.version', { version: APP_VERSION })}</div>
      </div>
    </Page>
  );
}
