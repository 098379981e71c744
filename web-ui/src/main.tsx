import { ConfigProvider, unstableSetRender } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { Provider } from 'urql';
import { App } from './App';
import './i18n';
import { client } from './lib/client';
import { outbox } from './lib/deviceOutbox';
import { startOutboxScheduler } from './lib/outbox';
import { getSession } from './lib/session';
import './styles.css';

function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <Provider value={client}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </Provider>
    </ConfigProvider>
  );
}

// antd-mobile's imperative Toast/Dialog render through React 19's root API.
unstableSetRender((node, container) => {
  const host = container as Element & { _dealdeskRoot?: ReturnType<typeof createRoot> };
  host._dealdeskRoot ??= createRoot(host);
  const root = host._dealdeskRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete host._dealdeskRoot;
  };
});

outbox.setUser(getSession()?.user.id ?? null);
// A reload (e.g. after "new version available") sends what an older client held back.
void outbox.unblock().then(() => startOutboxScheduler(outbox));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js'));
}
