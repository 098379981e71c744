import { Button, Checkbox, ErrorBlock, Form, Input, SpinLoading, Stepper, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Page, Section } from '../../components/Page';
import { submitMutation } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { ErrorNotice } from './components';
import { CreateContractDocument, DealContractsDocument } from './documents.generated';
import { addMonths, evenPlan, fromCents, instalmentSum, type InstalmentRow } from './logic';
import './i18n';

function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Draws up a contract for a deal in NEGOTIATION: amount, terms and an instalment plan that must add up. */
export default function CreateContractPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const [result] = useKeptQuery({ query: DealContractsDocument, variables: { id } });
  const deal = result.data?.deal;
  const [amount, setAmount] = useState<string | null>(null);
  const [terms, setTerms] = useState(30);
  const [signedAt, setSignedAt] = useState(isoToday());
  const [legalReview, setLegalReview] = useState(false);
  const [rows, setRows] = useState<InstalmentRow[]>([{ dueDate: addMonths(isoToday(), 1), amount: '' }]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  if (!deal) {
    return <Page title={t('contract.new')}>{result.fetching ? <SpinLoading className="center" /> : <ErrorBlock status="empty" title={t('deal.notFound')} />}</Page>;
  }
  const total = amount ?? String(Number(deal.amount?.amount ?? 0));
  const currency = deal.amount?.currency ?? 'CNY';
  const sum = instalmentSum(total, rows);
  const serverRowErrors = new Set((error?.fields ?? []).map((field) => /^instalments\[(\d+)\]/.exec(field)?.[1]).filter(Boolean).map(Number));
  const setRow = (index: number, patch: Partial<InstalmentRow>) => setRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const submit = async () => {
    if (!session || !sum.matches) return;
    setBusy(true);
    setError(null);
    const outcome = await submitMutation(CreateContractDocument, {
      variables: {
        input: {
          dealId: deal.id,
          amount: { amount: total.trim(), currency },
          paymentTermsDays: terms,
          signedAt: signedAt || undefined,
          instalments: rows.map((row) => ({ dueDate: row.dueDate, amount: { amount: row.amount.trim(), currency } })),
          legalReview,
        },
      },
      draft: { amount: total, terms, signedAt, legalReview, rows },
      draftKey: `contract:new:${deal.id}`,
      route: `/deals/${deal.id}/contracts/new`,
      label: t('contract.createLabel', { amount: formatMoney({ amount: total, currency }) }),
      userId: session.user.id,
    });
    setBusy(false);
    if (outcome.status === 'done') {
      Toast.show({ icon: 'success', content: t('common.saved') });
      const created = (outcome.data as { createContract: { id: string } }).createContract;
      navigate(`/contracts/${created.id}`, { replace: true });
    } else if (outcome.status === 'queued') {
      Toast.show({ content: t('outbox.queuedToast') });
      navigate(`/deals/${deal.id}`, { replace: true });
    } else {
      setError(outcome.error);
    }
  };

  const remaining = sum.remainingCents;
  return (
    <Page title={t('contract.new')}>
      {deal.stage !== 'NEGOTIATION' && <ErrorNotice error={{ code: 'NOT_NEGOTIATION', message: t('contract.needsNegotiation'), fields: [], fieldMessages: {} }} />}
      <ErrorNotice error={error} />
      <Form layout="vertical">
        <Form.Item label={t('contract.amount')} extra={currency}>
          <Input value={total} onChange={setAmount} inputMode="decimal" data-testid="contract-amount" />
        </Form.Item>
        <Form.Item label={t('contract.terms')}>
          <Stepper min={0} max={365} value={terms} onChange={(value) => setTerms(value ?? 0)} data-testid="contract-terms" />
        </Form.Item>
        <Form.Item label={t('contract.signedAt')}>
          <input type="date" className="native-input" value={signedAt} onChange={(event) => setSignedAt(event.target.value)} data-testid="contract-signed" />
        </Form.Item>
        <Form.Item>
          <Checkbox checked={legalReview} onChange={setLegalReview} data-testid="contract-legal">
            {t('contract.legalReview')}
          </Checkbox>
        </Form.Item>
      </Form>
      <Section
        title={t('contract.instalments')}
        extra={
          <Button size="mini" fill="none" color="primary" onClick={() => setRows(evenPlan(total, Math.max(rows.length, 1), rows[0]?.dueDate || addMonths(isoToday(), 1)))} data-testid="instalments-split">
            {t('contract.split')}
          </Button>
        }
      >
        <div className="instalment-rows" data-testid="instalment-rows">
          {rows.map((row, index) => {
            const bad = sum.badAmounts.includes(index) && row.amount !== '';
            return (
              <div key={index} className={`instalment-row${bad || serverRowErrors.has(index) ? ' has-error' : ''}`} data-testid="instalment-row">
                <span className="instalment-no">{index + 1}</span>
                <input type="date" className="native-input" value={row.dueDate} onChange={(event) => setRow(index, { dueDate: event.target.value })} aria-label={t('contract.dueDate')} data-testid="instalment-date" />
                <Input value={row.amount} onChange={(value) => setRow(index, { amount: value })} placeholder={t('contract.amount')} inputMode="decimal" data-testid="instalment-amount" />
                <Button size="mini" fill="none" disabled={rows.length === 1} onClick={() => setRows(rows.filter((_, i) => i !== index))} aria-label={t('contract.removeRow')}>
                  ✕
                </Button>
              </div>
            );
          })}
        </div>
        <div className="action-row">
          <Button size="small" onClick={() => setRows([...rows, { dueDate: addMonths(rows[rows.length - 1]?.dueDate || isoToday(), 1), amount: remaining && remaining > 0 ? fromCents(remaining) : '' }])} data-testid="instalment-add">
            {t('contract.addRow')}
          </Button>
        </div>
        <div className={`instalment-sum ${sum.matches ? 'ok' : 'off'}`} data-testid="instalment-sum" data-matches={sum.matches ? 'true' : 'false'}>
          {t('contract.sum', { sum: fromCents(sum.sumCents), total: sum.totalCents === null ? '—' : fromCents(sum.totalCents) })}
          {remaining !== null && remaining !== 0 && <span> · {remaining > 0 ? t('contract.left', { amount: fromCents(remaining) }) : t('contract.over', { amount: fromCents(-remaining) })}</span>}
        </div>
      </Section>
      <div className="padded">
        <Button block color="primary" loading={busy} disabled={!sum.matches} onClick={submit} data-testid="contract-submit">
          {t('contract.create')}
        </Button>
      </div>
    </Page>
  );
}
