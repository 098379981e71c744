import { Button, Form, Input, NoticeBar, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Page } from '../../components/Page';
import type { DecisionRoleValue } from '../../gql/graphql';
import { errorText } from '../../lib/formErrors';
import { compact, useOutboxForm } from '../../lib/useOutboxForm';
import { DECISION_ROLES } from '../deals/GateFields';
import { CreateContactDocument } from './documents.generated';

const FIELDS = ['name', 'title', 'phone', 'email', 'decisionRole'] as const;

export default function CreateContactPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { form, error, submitting, submit } = useOutboxForm(`create-contact:${id}`, FIELDS);
  return (
    <Page title={t('contacts.new')}>
      {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values: Record<string, unknown>) =>
          submit(
            CreateContactDocument,
            {
              input: compact({
                customerId: id,
                name: String(values.name ?? ''),
                title: values.title as string | undefined,
                phone: values.phone as string | undefined,
                email: values.email as string | undefined,
                decisionRole: (values.decisionRole as DecisionRoleValue[] | undefined)?.[0],
              }),
            },
            {
              label: t('contacts.newLabel', { name: String(values.name ?? '') }),
              route: `/customers/${id}/contacts/new`,
              onDone: () => navigate(`/customers/${id}`, { replace: true }),
              onQueued: () => navigate(`/customers/${id}`, { replace: true }),
            },
          )
        }
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="contact-submit">
            {t('common.save')}
          </Button>
        }
      >
        <Form.Item name="name" label={t('contacts.name')} required>
          <Input data-testid="contact-name" clearable />
        </Form.Item>
        <Form.Item name="title" label={t('contacts.jobTitle')}>
          <Input data-testid="contact-title" clearable />
        </Form.Item>
        <Form.Item name="phone" label={t('contacts.phone')}>
          <Input type="tel" clearable />
        </Form.Item>
        <Form.Item name="email" label={t('contacts.email')}>
          <Input type="email" clearable />
        </Form.Item>
        <Form.Item name="decisionRole" label={t('gate.decisionRole')}>
          <Selector columns={3} options={DECISION_ROLES.map((role) => ({ label: t(`decisionRole.${role}`), value: role }))} />
        </Form.Item>
      </Form>
    </Page>
  );
}
