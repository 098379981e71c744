import { Button, Form, Input, NoticeBar, Popup, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { outbox, submitMutation } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { formatDate, formatMoney, formatMoneyExact } from '../../lib/format';
import { errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import type { ReceivableFieldsFragment } from './documents.generated';
import { RecordPaymentDocument } from './documents.generated';
import { reasonKey, riskReasonKey, toCents } from './logic';
import './i18n';

const TIER_COLOR = { RED: 'danger', YELLOW: 'warning', BLUE: 'primary' } as const;

/** 红 / 黄 / 蓝 as a coloured tag. */
export function TierBadge({ tier, testId = 'tier-badge' }: { tier: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={TIER_COLOR[tier as keyof typeof TIER_COLOR] ?? 'default'} data-testid={testId} data-tier={tier} className="tier-badge">
      {t(`risk.tier.${tier}`, { defaultValue: tier })}
    </Tag>
  );
}

/** A payment-check reason in the chosen language (the server's words when unknown). */
export function ReasonText({ reason }: { reason: string }) {
  const { t } = useTranslation();
  const known = reasonKey(reason);
  return <>{known ? t(known.key, known.values) : reason}</>;
}

/** A risk-tier reason in the chosen language (the server's words when unknown). */
export function RiskReasonText({ reason }: { reason: string }) {
  const { t } = useTranslation();
  const known = riskReasonKey(reason, formatMoneyExact);
  return <>{known ? t(known.key, known.values) : reason}</>;
}

export function ErrorNotice({ error, testId = 'form-error' }: { error: ApiError | null; testId?: string }) {
  if (!error) return null;
  const details = Object.entries(error.fieldMessages).map(([field, message]) => `${field}: ${message}`);
  return (
    <NoticeBar
      color="error"
      wrap
      data-testid={testId}
      content={
        <span>
          {errorText(error)}
          {details.length > 0 ? ` (${details.join('; ')})` : error.code === 'BAD_INPUT' ? ` (${error.message})` : ''}
        </span>
      }
    />
  );
}

/** One receivable: due date, amount, paid, outstanding and how late it is. */
export function ReceivableLine({ receivable, extra }: { receivable: ReceivableFieldsFragment; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const overdue = receivable.daysOverdue > 0 && !receivable.fullyPaidOn;
  return (
    <div className={`receivable-line${overdue ? ' is-overdue' : ''}`} data-testid="receivable" data-id={receivable.id} data-overdue={overdue ? 'true' : 'false'}>
      <div className="receivable-main">
        <strong>{formatMoney(receivable.amount)}</strong>
        <span className="muted">{t('rcv.due', { date: formatDate(receivable.dueDate) })}</span>
      </div>
      <div className="receivable-facts">
        <span>{t('rcv.paid')} {formatMoney(receivable.paid)}</span>
        <span data-testid="receivable-outstanding">{t('rcv.outstanding')} {formatMoney(receivable.outstanding)}</span>
        {receivable.fullyPaidOn ? (
          <Tag color="success" fill="outline">{t('rcv.paidOn', { date: formatDate(receivable.fullyPaidOn) })}</Tag>
        ) : overdue ? (
          <Tag color="danger" data-testid="receivable-overdue">{t('rcv.daysOverdue', { count: receivable.daysOverdue })}</Tag>
        ) : null}
      </div>
      {extra}
    </div>
  );
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** FINANCE's payment entry for one receivable, through the outbox. */
export function PaymentButton({ receivable, onDone }: { receivable: ReceivableFieldsFragment; onDone: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState(receivable.outstanding.amount);
  const [paidAt, setPaidAt] = useState(today());
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const cents = toCents(amount);
  const tooMuch = cents !== null && cents > (toCents(receivable.outstanding.amount) ?? 0);
  const send = async () => {
    if (!session || cents === null || cents === 0 || tooMuch) return;
    setBusy(true);
    setError(null);
    const result = await submitMutation(RecordPaymentDocument, {
      variables: { input: { receivableId: receivable.id, amount: { amount: amount.trim(), currency: receivable.amount.currency }, paidAt } },
      draft: { amount, paidAt },
      draftKey: `payment:${receivable.id}`,
      route: '/finance/receivables',
      label: t('rcv.paymentLabel', { amount: formatMoney({ amount, currency: receivable.amount.currency }) }),
      userId: session.user.id,
    });
    setBusy(false);
    if (result.status === 'rejected') {
      setError(result.error);
      void outbox.discard(result.entry.id);
      return;
    }
    Toast.show(result.status === 'done' ? { icon: 'success', content: t('rcv.paymentRecorded') } : { content: t('outbox.queuedToast') });
    setOpen(false);
    onDone();
  };
  return (
    <>
      <Button size="small" color="primary" fill="outline" onClick={() => setOpen(true)} data-testid="record-payment">
        {t('rcv.recordPayment')}
      </Button>
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyStyle={{ padding: 12 }} destroyOnClose>
        <h3 className="popup-title">{t('rcv.recordPayment')}</h3>
        <div className="muted">{t('rcv.outstanding')} {formatMoney(receivable.outstanding)}</div>
        <ErrorNotice error={error} />
        <Form layout="vertical">
          <Form.Item label={t('rcv.amount')} help={tooMuch ? t('rcv.overpay') : undefined}>
            <Input value={amount} onChange={setAmount} inputMode="decimal" data-testid="payment-amount" />
          </Form.Item>
          <Form.Item label={t('rcv.paidAt')}>
            <input className="native-input" type="date" value={paidAt} onChange={(event) => setPaidAt(event.target.value)} data-testid="payment-date" />
          </Form.Item>
        </Form>
        <Button block color="primary" loading={busy} disabled={cents === null || cents === 0 || tooMuch || !paidAt} onClick={send} data-testid="payment-submit">
          {t('rcv.save')}
        </Button>
      </Popup>
    </>
  );
}
