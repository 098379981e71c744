import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Page } from '../../components/Page';
import { errorText } from '../../lib/formErrors';
import { compact, useOutboxForm } from '../../lib/useOutboxForm';
import { CreateCustomerDocument } from './documents.generated';

const FIELDS = ['name', 'creditCode', 'industry', 'region', 'size'] as const;

export default function CreateCustomerPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { form, error, submitting, submit } = useOutboxForm('create-customer', FIELDS);
  return (
    <Page title={t('customers.new')}>
      {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values: Record<string, string>) =>
          submit(CreateCustomerDocument, { input: compact({ name: values.name ?? '', creditCode: values.creditCode, industry: values.industry, region: values.region, size: values.size }) }, {
            label: t('customers.newLabel', { name: values.name ?? '' }),
            route: '/customers/new',
            onDone: (data) => navigate(`/customers/${data.createCustomer.id}`, { replace: true }),
            onQueued: () => navigate('/customers', { replace: true }),
          })
        }
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="customer-submit">
            {t('common.save')}
          </Button>
        }
      >
        <Form.Item name="name" label={t('customers.name')} required>
          <Input data-testid="customer-name" clearable />
        </Form.Item>
        <Form.Item name="creditCode" label={t('customers.creditCode')} extra={t('customers.creditCodeHint')}>
          <Input data-testid="customer-creditCode" clearable />
        </Form.Item>
        <Form.Item name="industry" label={t('customers.industry')}>
          <Input clearable />
        </Form.Item>
        <Form.Item name="region" label={t('customers.region')}>
          <Input clearable />
        </Form.Item>
        <Form.Item name="size" label={t('customers.size')}>
          <Input clearable />
        </Form.Item>
      </Form>
    </Page>
  );
}
