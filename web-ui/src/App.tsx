import { SpinLoading } from 'antd-mobile';
import { AddCircleOutline, CalendarOutline, FileOutline, SetOutline, TeamOutline, UnorderedListOutline } from 'antd-mobile-icons';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useLocation, useNavigationType } from 'react-router';
import { Banners } from './components/Banners';
import LoginPage from './features/auth/LoginPage';
import TodayPage from './features/today/TodayPage';
import { outbox } from './lib/deviceOutbox';
import { useSession } from './lib/hooks';

// Only Login and Today are in the first download; the daily-loop screens are
// fetched right after it (idle prefetch) so they open instantly and offline;
// the rest load on demand, charts only with their page.
const loadDealPage = () => import('./features/deals/DealPage');
const loadQuickLogPage = () => import('./features/activities/QuickLogPage');
const loadMoveStagePage = () => import('./features/deals/MoveStagePage');
const loadDealsPage = () => import('./features/deals/DealsPage');
const DealPage = lazy(loadDealPage);
const QuickLogPage = lazy(loadQuickLogPage);
const DealsPage = lazy(loadDealsPage);
const MoveStagePage = lazy(loadMoveStagePage);
const CreateDealPage = lazy(() => import('./features/deals/CreateDealPage'));
const CustomersPage = lazy(() => import('./features/customers/CustomersPage'));
const CustomerPage = lazy(() => import('./features/customers/CustomerPage'));
const CreateCustomerPage = lazy(() => import('./features/customers/CreateCustomerPage'));
const CreateContactPage = lazy(() => import('./features/customers/CreateContactPage'));
const OutboxPage = lazy(() => import('./features/outbox/OutboxPage'));
const SettingsPage = lazy(() => import('./features/settings/SettingsPage'));
const StagesSettingsPage = lazy(() => import('./features/admin/StagesSettingsPage'));
const PipelinePage = lazy(() => import('./features/pipeline/PipelinePage'));
const AlertsPage = lazy(() => import('./features/alerts/AlertsPage'));
const AlertRulesPage = lazy(() => import('./features/alerts/AlertRulesPage'));
const FunnelPage = lazy(() => import('./features/funnel/FunnelPage'));
const TeamPage = lazy(() => import('./features/funnel/TeamPage'));
const ChannelsPage = lazy(() => import('./features/channels/ChannelsPage'));
const DeliveriesPage = lazy(() => import('./features/channels/DeliveriesPage'));
const NotificationPrefsPage = lazy(() => import('./features/channels/NotificationPrefsPage'));
const TicketsPage = lazy(() => import('./features/tickets/TicketsPage'));
const TicketPage = lazy(() => import('./features/tickets/TicketPage'));
const RaiseTicketPage = lazy(() => import('./features/tickets/RaiseTicketPage'));
const CollabHealthPage = lazy(() => import('./features/collab/CollabHealthPage'));
const CalendarSettingsPage = lazy(() => import('./features/admin/CalendarSettingsPage'));
const SlaPoliciesPage = lazy(() => import('./features/admin/SlaPoliciesPage'));
const ContractPage = lazy(() => import('./features/receivables/ContractPage'));
const CreateContractPage = lazy(() => import('./features/receivables/CreateContractPage'));
const ReceivablesPage = lazy(() => import('./features/receivables/ReceivablesPage'));
const ForecastPage = lazy(() => import('./features/receivables/ForecastPage'));
const RiskCenterPage = lazy(() => import('./features/receivables/RiskCenterPage'));
const ImportPaymentsPage = lazy(() => import('./features/receivables/ImportPaymentsPage'));
const RiskThresholdsPage = lazy(() => import('./features/admin/RiskThresholdsPage'));
const CollectionReportPage = lazy(() => import('./features/reports/CollectionReportPage'));

function prefetchDailyLoop() {
  const run = () => void Promise.all([loadDealPage(), loadQuickLogPage(), loadMoveStagePage(), loadDealsPage()]).catch(() => undefined);
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 });
  else setTimeout(run, 1500);
}

export function App() {
  const session = useSession();
  const location = useLocation();
  const navigationType = useNavigationType();
  useEffect(prefetchDailyLoop, []);
  // A newly opened screen starts at its top; going back keeps where the person was.
  useEffect(() => {
    if (navigationType !== 'POP') window.scrollTo(0, 0);
  }, [location.pathname, navigationType]);
  useEffect(() => {
    outbox.setUser(session?.user.id ?? null);
    if (session) void outbox.unblock().then(() => outbox.flush());
  }, [session]);

  if (!session && location.pathname !== '/login') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (location.pathname === '/login') {
    return (
      <>
        <Banners />
        {session ? <Navigate to="/" replace /> : <LoginPage />}
      </>
    );
  }
  return (
    <div className="shell">
      <NavigationBar />
      <main className="shell-main">
        <Suspense fallback={<SpinLoading className="center" />}>
          <Routes>
            <Route path="/" element={<TodayPage />} />
            <Route path="/deals" element={<DealsPage />} />
            <Route path="/deals/new" element={<CreateDealPage />} />
            <Route path="/deals/:id" element={<DealPage />} />
            <Route path="/deals/:id/move" element={<MoveStagePage />} />
            <Route path="/log" element={<QuickLogPage />} />
            <Route path="/customers" element={<CustomersPage />} />
            <Route path="/customers/new" element={<CreateCustomerPage />} />
            <Route path="/customers/:id" element={<CustomerPage />} />
            <Route path="/customers/:id/contacts/new" element={<CreateContactPage />} />
            <Route path="/outbox" element={<OutboxPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/settings/stages" element={<StagesSettingsPage />} />
            <Route path="/pipeline" element={<PipelinePage />} />
            <Route path="/alerts" element={<AlertsPage />} />
            <Route path="/settings/alert-rules" element={<AlertRulesPage />} />
            <Route path="/settings/channels" element={<ChannelsPage />} />
            <Route path="/settings/deliveries" element={<DeliveriesPage />} />
            <Route path="/settings/notifications" element={<NotificationPrefsPage />} />
            <Route path="/funnel" element={<FunnelPage />} />
            <Route path="/funnel/:userId" element={<FunnelPage />} />
            <Route path="/team" element={<TeamPage />} />
            <Route path="/tickets" element={<TicketsPage />} />
            <Route path="/tickets/:id" element={<TicketPage />} />
            <Route path="/deals/:id/tickets/new" element={<RaiseTicketPage />} />
            <Route path="/collab-health" element={<CollabHealthPage />} />
            <Route path="/settings/calendar" element={<CalendarSettingsPage />} />
            <Route path="/settings/sla" element={<SlaPoliciesPage />} />
            <Route path="/deals/:id/contracts/new" element={<CreateContractPage />} />
            <Route path="/contracts/:id" element={<ContractPage />} />
            <Route path="/finance/receivables" element={<ReceivablesPage />} />
            <Route path="/finance/forecast" element={<ForecastPage />} />
            <Route path="/finance/import" element={<ImportPaymentsPage />} />
            <Route path="/risk" element={<RiskCenterPage />} />
            <Route path="/settings/risk-thresholds" element={<RiskThresholdsPage />} />
            <Route path="/finance/collection-report" element={<CollectionReportPage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}

function NavigationBar() {
  const { t } = useTranslation();
  const item = (to: string, icon: ReactNode, label: string, testId: string, end = false) => (
    <NavLink to={to} end={end} className={({ isActive }) => (isActive ? 'nav-item active' : 'nav-item')} data-testid={testId}>
      <span className="nav-icon">{icon}</span>
      <span className="nav-label">{label}</span>
    </NavLink>
  );
  return (
    <nav className="nav">
      <div className="nav-brand">{t('app.name')}</div>
      {item('/', <CalendarOutline />, t('nav.today'), 'nav-today', true)}
      {item('/deals', <UnorderedListOutline />, t('nav.deals'), 'nav-deals')}
      {item('/log', <AddCircleOutline />, t('nav.log'), 'nav-log')}
      {item('/tickets', <FileOutline />, t('nav.tickets'), 'nav-tickets')}
      {item('/customers', <TeamOutline />, t('nav.customers'), 'nav-customers')}
      {item('/settings', <SetOutline />, t('nav.settings'), 'nav-settings')}
    </nav>
  );
}
