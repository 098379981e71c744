import { Button, Form, NoticeBar, Selector, TextArea, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Page } from '../../components/Page';
import { submitMutation, useDraft } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { localInputToIso } from '../../lib/format';
import { applyFieldErrors, errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { CustomerPicker, type PickedCustomer } from '../customers/CustomerPicker';
import { CustomerOpenDealsDocument, LogActivityDocument } from './documents.generated';
import { SpeechButton } from './SpeechButton';

export const ACTIVITY_KINDS = ['VISIT', 'CALL', 'MEETING', 'EMAIL', 'CHAT', 'NOTE'] as const;
const DRAFT_KEY = 'quick-log';
/** What is typed but not yet submitted survives a reload or a closed tab. */
const UNSENT_KEY = 'dealdesk.quickLog.unsent';
const FIELDS = ['text', 'kind', 'dealId', 'contactId', 'nextFollowUpAt', 'customerId'];

interface LogDraft {
  customer?: PickedCustomer | null;
  dealTitle?: string;
  text?: string;
  kind?: string[];
  dealId?: string[];
  contactId?: string[];
  nextFollowUpAt?: string;
}

/** Log a visit, call or note in a few taps, by voice or text. */
export default function QuickLogPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const session = useSession();
  const [form] = Form.useForm();
  const { entry: draft, loaded } = useDraft(DRAFT_KEY);
  const [customer, setCustomer] = useState<PickedCustomer | null>(null);
  const [dealTitle, setDealTitle] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [refusedId, setRefusedId] = useState<string | undefined>();
  const restored = useRef(false);

  // Start from: a refused submission, else the link (deal/customer), else unsent typing.
  useEffect(() => {
    if (!loaded || restored.current) return;
    restored.current = true;
    const fromLink = params.get('customer');
    let values: LogDraft;
    if (draft && draft.state === 'rejected') {
      values = draft.draft as LogDraft;
      setError(draft.error ?? null);
    } else if (fromLink) {
      values = {
        customer: { id: fromLink, name: params.get('customerName') ?? '' },
        dealId: params.get('deal') ? [params.get('deal')!] : [],
        dealTitle: params.get('dealTitle') ?? undefined,
        kind: ['VISIT'],
      };
    } else {
      values = (JSON.parse(localStorage.getItem(UNSENT_KEY) ?? 'null') as LogDraft | null) ?? { kind: ['VISIT'] };
    }
    setCustomer(values.customer ?? null);
    setDealTitle(values.dealTitle);
    form.setFieldsValue({ text: values.text ?? '', kind: values.kind ?? ['VISIT'], dealId: values.dealId ?? [], contactId: values.contactId ?? [], nextFollowUpAt: values.nextFollowUpAt ?? '' });
    if (draft?.state === 'rejected' && draft.error) applyFieldErrors(form, draft.error, FIELDS);
  }, [loaded, draft, params, form]);

  const [related] = useQuery({ query: CustomerOpenDealsDocument, variables: { customerId: customer?.id ?? '' }, pause: !customer });
  const deals = related.data?.deals.nodes ?? [];
  const contacts = related.data?.customer?.contacts ?? [];
  const dealOptions = deals.map((deal) => ({ label: deal.title, value: deal.id }));
  const linkedDeal = form.getFieldValue('dealId')?.[0] as string | undefined;
  if (linkedDeal && !dealOptions.some((option) => option.value === linkedDeal)) dealOptions.unshift({ label: dealTitle ?? linkedDeal, value: linkedDeal });

  const currentDraft = (): LogDraft => ({ ...(form.getFieldsValue() as LogDraft), customer, dealTitle });
  const saveUnsent = () => localStorage.setItem(UNSENT_KEY, JSON.stringify(currentDraft()));

  const onFinish = async () => {
    if (!session) return;
    const values = currentDraft();
    const dealId = values.dealId?.[0];
    if (!customer && !dealId) {
      setError({ code: 'BAD_INPUT', message: t('log.customerRequired'), fields: ['customerId'], fieldMessages: {} });
      return;
    }
    setSubmitting(true);
    setError(null);
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    const input = {
      kind: (values.kind?.[0] ?? 'VISIT') as (typeof ACTIVITY_KINDS)[number],
      text: (values.text ?? '').trim(),
      ...(dealId ? { dealId } : { customerId: customer!.id }),
      ...(values.contactId?.[0] ? { contactId: values.contactId[0] } : {}),
      ...(localInputToIso(values.nextFollowUpAt) ? { nextFollowUpAt: localInputToIso(values.nextFollowUpAt) } : {}),
    };
    const result = await submitMutation(LogActivityDocument, {
      variables: { input },
      draft: values as Record<string, unknown>,
      draftKey: DRAFT_KEY,
      route: '/log',
      label: t('log.label', { kind: t(`activityKind.${input.kind}`), customer: customer?.name ?? dealTitle ?? '' }),
      userId: session.user.id,
      replaces: refusedId ?? (draft?.state === 'rejected' ? draft.id : undefined),
    });
    setSubmitting(false);
    if (result.status === 'rejected') {
      setRefusedId(result.entry.id);
      setError(result.error);
      applyFieldErrors(form, result.error, FIELDS);
      return;
    }
    localStorage.removeItem(UNSENT_KEY);
    Toast.show(result.status === 'done' ? { icon: 'success', content: t('log.saved') } : { content: t('outbox.queuedToast') });
    if (dealId) navigate(`/deals/${dealId}`, { replace: true });
    else navigate(`/customers/${customer!.id}`, { replace: true });
  };

  return (
    <Page title={t('log.title')}>
      {error && <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />}
      <Form form={form} layout="vertical" onFinish={onFinish} onValuesChange={saveUnsent}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="log-submit">
            {t('log.submit')}
          </Button>
        }
      >
        <Form.Item label={t('log.customer')} name="customerId">
          <CustomerPicker
            value={customer}
            onChange={(picked) => {
              setCustomer(picked);
              setDealTitle(undefined);
              form.setFieldsValue({ dealId: [], contactId: [] });
              saveUnsent();
            }}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('log.kind')}>
          <Selector columns={3} options={ACTIVITY_KINDS.map((kind) => ({ label: t(`activityKind.${kind}`), value: kind }))} />
        </Form.Item>
        <Form.Item name="text" label={t('log.text')} extra={<SpeechButton onText={(spoken) => {
          const before = (form.getFieldValue('text') as string | undefined) ?? '';
          form.setFieldsValue({ text: before ? `${before} ${spoken}` : spoken });
          saveUnsent();
        }} />}>
          <TextArea placeholder={t('log.textPlaceholder')} autoSize={{ minRows: 6, maxRows: 14 }} className="big-text" data-testid="log-text" />
        </Form.Item>
        {dealOptions.length > 0 && (
          <Form.Item name="dealId" label={t('log.deal')}>
            <Selector columns={1} options={dealOptions} />
          </Form.Item>
        )}
        {contacts.length > 0 && (
          <Form.Item name="contactId" label={t('log.contact')}>
            <Selector columns={2} options={contacts.map((contact) => ({ label: contact.title ? `${contact.name} · ${contact.title}` : contact.name, value: contact.id }))} />
          </Form.Item>
        )}
        <Form.Item name="nextFollowUpAt" label={t('log.nextFollowUp')}>
          <input type="datetime-local" className="native-input" data-testid="log-next" />
        </Form.Item>
      </Form>
    </Page>
  );
}
