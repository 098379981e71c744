import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { Page } from '../../components/Page';
import { errorText } from '../../lib/formErrors';
import { compact, useOutboxForm } from '../../lib/useOutboxForm';
import { CustomerPicker, type PickedCustomer } from '../customers/CustomerPicker';
import { CreateDealDocument } from './documents.generated';

const FIELDS = ['title', 'customerId', 'amount', 'productLine', 'expectedCloseDate', 'source'] as const;

export default function CreateDealPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [customer, setCustomer] = useState<PickedCustomer | null>(
    params.get('customer') ? { id: params.get('customer')!, name: params.get('customerName') ?? '' } : null,
  );
  const { form, error, submitting, submit } = useOutboxForm('create-deal', FIELDS);
  return (
    <Page title={t('deals.new')}>
      {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values: Record<string, string>) =>
          submit(
            CreateDealDocument,
            {
              input: compact({
                title: values.title ?? '',
                customerId: customer?.id ?? '',
                amount: values.amount?.trim() ? { amount: values.amount.trim(), currency: 'CNY' } : undefined,
                productLine: values.productLine,
                expectedCloseDate: values.expectedCloseDate,
                source: values.source,
              }),
            },
            {
              label: t('deals.newLabel', { title: values.title ?? '' }),
              route: '/deals/new',
              onDone: (data) => navigate(`/deals/${data.createDeal.id}`, { replace: true }),
              onQueued: () => navigate(customer ? `/customers/${customer.id}` : '/deals', { replace: true }),
            },
          )
        }
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="deal-submit">
            {t('common.save')}
          </Button>
        }
      >
        <Form.Item name="customerId" label={t('log.customer')} required>
          <CustomerPicker value={customer} onChange={setCustomer} />
        </Form.Item>
        <Form.Item name="title" label={t('deals.dealTitle')} required>
          <Input data-testid="deal-title" clearable />
        </Form.Item>
        <Form.Item name="amount" label={t('deal.amount')} extra="CNY">
          <Input inputMode="decimal" data-testid="deal-amount" clearable />
        </Form.Item>
        <Form.Item name="productLine" label={t('deal.productLine')}>
          <Input clearable />
        </Form.Item>
        <Form.Item name="expectedCloseDate" label={t('deal.expectedClose')}>
          <input type="date" className="native-input" />
        </Form.Item>
        <Form.Item name="source" label={t('deals.source')}>
          <Input clearable />
        </Form.Item>
      </Form>
    </Page>
  );
}
