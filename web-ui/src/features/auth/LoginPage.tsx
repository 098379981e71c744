import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../settings/LanguageSwitch';
import { getLastLogin, login } from '../../lib/session';

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const last = getLastLogin();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async (values: { email: string; password: string }) => {
    setSubmitting(true);
    setError(null);
    const code = await login(values.email.trim(), values.password);
    setSubmitting(false);
    if (code) {
      setError(code);
      return;
    }
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from && from !== '/login' ? from : '/', { replace: true });
  };

  const message =
    error === 'UNAUTHENTICATED'
      ? t('login.wrongPassword')
      : error === 'RATE_LIMITED'
        ? t('login.rateLimited')
        : error === 'NETWORK'
          ? t('login.network')
          : error === 'CLIENT_TOO_OLD'
            ? t('banner.clientTooOld')
            : error
              ? t('login.failed', { code: error })
              : null;

  return (
    <div className="login">
      <div className="login-brand">
        <div className="login-logo">D</div>
        <h1>{t('app.name')}</h1>
        <p className="muted">{t('app.tagline')}</p>
      </div>
      {last?.orgName && <div className="login-org" data-testid="login-org">{t('login.lastOrg', { org: last.orgName })}</div>}
      {message && <NoticeBar color="error" content={message} wrap data-testid="login-error" />}
      <Form
        layout="vertical"
        initialValues={{ email: last?.email ?? '' }}
        onFinish={onFinish}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        }
      >
        <Form.Item name="email" label={t('login.email')} rules={[{ required: true, message: t('login.emailRequired') }]}>
          <Input type="email" autoComplete="username" placeholder="rep1@demo.dealdesk.cn" clearable data-testid="login-email" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input type="password" autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
      </Form>
      <div className="login-lang">
        <LanguageSwitch />
      </div>
    </div>
  );
}
