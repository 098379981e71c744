import { Button, ErrorBlock, List, Selector, SpinLoading, Tag, TextArea, Toast } from 'antd-mobile';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Page, Section } from '../../components/Page';
import { outbox, submitMutation, useOnSynced } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { ErrorNotice, PaymentButton, ReasonText, ReceivableLine } from './components';
import { ApproveContractDocument, AttachDocumentDocument, ConfirmContractLegalDocument, ContractDocument, RejectContractDocument, RunPaymentCheckDocument, SubmitContractDocument } from './documents.generated';
import { contractActions, reasonKey, statementMonths, type ContractAction } from './logic';
import { openDocument, sendMultipart } from './upload';
import './i18n';

const STATUS_COLOR: Record<string, string> = { DRAFT: 'default', SUBMITTED: 'primary', APPROVED: 'success', REJECTED: 'danger' };
const KINDS = ['BANK_STATEMENT', 'CREDIT_PROOF', 'SIGNED_CONTRACT', 'OTHER'] as const;

/** A contract: plan, documents (camera upload), payment check, and the steps the viewer may take. */
export default function ContractPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const session = useSession();
  const [result, reexecute] = useKeptQuery({ query: ContractDocument, variables: { id } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  const contract = result.data?.contract;
  if (!contract) {
    return (
      <Page title={t('contract.title')}>
        {result.fetching ? <SpinLoading className="center" /> : <ErrorBlock status="empty" title={t('contract.notFound')} description={result.error?.message ?? ''} />}
      </Page>
    );
  }
  const role = session?.user.role ?? '';
  const actions = contractActions(contract, role);
  const canPay = role === 'FINANCE' || role === 'ADMIN';
  const check = contract.paymentCheck;
  return (
    <Page title={t('contract.title')}>
      <div className="deal-header" data-testid="contract-header" data-status={contract.status}>
        <div className="contract-head">
          <strong className="contract-amount">{formatMoney(contract.amount)}</strong>
          <Tag color={STATUS_COLOR[contract.status] ?? 'default'} data-testid="contract-status">
            {t(`contract.status.${contract.status}`, { defaultValue: contract.status })}
          </Tag>
        </div>
        <div className="muted">
          {t('contract.termsDays', { count: contract.paymentTermsDays })} · {t('contract.signedOn', { date: formatDate(contract.signedAt) })}
        </div>
        <div className="muted">
          <Link to={`/deals/${contract.dealId}`} className="link">{t('contract.deal')}</Link>
          {' · '}
          <Link to={`/customers/${contract.customerId}`} className="link">{t('contract.customer')}</Link>
          {contract.registryStatus && <> · {t('contract.registry', { status: t(`contract.registryStatus.${contract.registryStatus}`, { defaultValue: contract.registryStatus }) })}</>}
        </div>
        {contract.legalReviewRequired && <div className="muted">{t('contract.legalReview')}</div>}
        {contract.legalConfirmedAt && (
          <div className="muted" data-testid="contract-legal-confirmed">
            {t('contract.legalConfirmed', { at: formatDateTime(contract.legalConfirmedAt) })}
          </div>
        )}
        {contract.rejectionReason && <div className="overdue">{t('contract.rejected', { reason: contract.rejectionReason })}</div>}
      </div>
      <ContractActions key={contract.status} contractId={contract.id} actions={actions} onDone={refresh} />
      <Section title={t('contract.check')} testId="check-section">
        {check ? (
          <div className={`check-result ${check.passed ? 'passed' : 'failed'}`} data-testid="check-result" data-passed={check.passed ? 'true' : 'false'}>
            <div className="check-head">
              <strong>{check.passed ? t('contract.checkPassed') : t('contract.checkFailed')}</strong>
              <span className="muted">{formatDateTime(check.checkedAt)}</span>
            </div>
            <ul className="check-reasons">
              {check.reasons.map((reason) => (
                <li key={reason} data-testid="check-reason" data-month={reasonKey(reason)?.values.month ?? ''}>
                  <ReasonText reason={reason} />
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <div className="muted padded">{t('contract.notChecked')}</div>
        )}
      </Section>
      <Section title={t('contract.instalments')}>
        <List>
          {contract.instalments.map((instalment, index) => (
            <List.Item key={index} extra={formatMoney(instalment.amount)}>
              {index + 1}. {formatDate(instalment.dueDate)}
            </List.Item>
          ))}
        </List>
      </Section>
      <Section title={t('contract.documents', { count: contract.documents.length })} testId="documents-section">
        <List>
          {contract.documents.map((document) => (
            <List.Item
              key={document.id}
              data-testid="document"
              description={`${t(`contract.kind.${document.kind}`, { defaultValue: document.kind })}${document.periodMonth ? ` · ${document.periodMonth}` : ''} · ${Math.max(1, Math.round(document.sizeBytes / 1024))} KB`}
              extra={
                <Button size="mini" fill="none" color="primary" onClick={() => void openDocument(document.downloadUrl, document.fileName).then((error) => error && Toast.show({ icon: 'fail', content: t('contract.downloadFailed') }))}>
                  {t('contract.download')}
                </Button>
              }
            >
              <span className="doc-name">{document.fileName}</span>
            </List.Item>
          ))}
        </List>
        {contract.status !== 'APPROVED' && <DocumentUpload contractId={contract.id} onDone={refresh} />}
      </Section>
      {contract.receivables.length > 0 && (
        <Section title={t('rcv.title')} testId="contract-receivables">
          <div className="card-list">
            {contract.receivables.map((receivable) => (
              <ReceivableLine key={receivable.id} receivable={receivable} extra={canPay && !receivable.fullyPaidOn ? <PaymentButton receivable={receivable} onDone={refresh} /> : undefined} />
            ))}
          </div>
        </Section>
      )}
    </Page>
  );
}

/** Picks kind and month, then the file (camera on a phone); uploads straight away and offers a retry when it fails. */
function DocumentUpload({ contractId, onDone }: { contractId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<(typeof KINDS)[number]>('BANK_STATEMENT');
  const [month, setMonth] = useState(statementMonths(new Date())[0]);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<{ file: File; error: ApiError } | null>(null);
  const periodic = kind === 'BANK_STATEMENT' || kind === 'CREDIT_PROOF';

  const upload = async (file: File) => {
    setBusy(true);
    setFailed(null);
    const outcome = await sendMultipart(AttachDocumentDocument, { contractId, kind, periodMonth: periodic ? month : null }, file, file.name);
    setBusy(false);
    if (input.current) input.current.value = '';
    if (outcome.ok) {
      Toast.show({ icon: 'success', content: t('contract.uploaded') });
      onDone();
    } else {
      setFailed({ file, error: outcome.error });
    }
  };

  return (
    <div className="doc-upload" data-testid="doc-upload">
      <Selector
        columns={2}
        value={[kind]}
        onChange={(value) => value[0] && setKind(value[0])}
        options={KINDS.map((value) => ({ value, label: t(`contract.kind.${value}`) }))}
      />
      {periodic && (
        <label className="doc-month">
          <span>{t('contract.period')}</span>
          <input type="month" className="native-input" value={month} onChange={(event) => setMonth(event.target.value)} data-testid="doc-month" />
        </label>
      )}
      <input
        ref={input}
        type="file"
        accept="application/pdf,image/*"
        capture="environment"
        className="visually-hidden"
        data-testid="doc-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <Button block color="primary" fill="outline" loading={busy} onClick={() => input.current?.click()} data-testid="doc-pick">
        {t('contract.upload')}
      </Button>
      {failed && (
        <div className="upload-failed" data-testid="upload-error">
          <ErrorNotice error={failed.error} testId="upload-error-text" />
          <Button size="small" color="primary" onClick={() => void upload(failed.file)} data-testid="upload-retry">
            {t('contract.retry', { name: failed.file.name })}
          </Button>
        </div>
      )}
    </div>
  );
}

/** The viewer's steps; each goes through the outbox, a refusal is shown here. */
function ContractActions({ contractId, actions, onDone }: { contractId: string; actions: ContractAction[]; onDone: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState<ContractAction | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  if (actions.length === 0) return null;

  const run = async (action: ContractAction) => {
    if (!session) return;
    setBusy(action);
    setError(null);
    const common = { draft: {}, draftKey: `contract:${contractId}:${action}`, route: `/contracts/${contractId}`, label: t(`contract.action.${action}`), userId: session.user.id };
    const result = await (() => {
      switch (action) {
        case 'check':
          return submitMutation(RunPaymentCheckDocument, { ...common, variables: { contractId } });
        case 'submit':
          return submitMutation(SubmitContractDocument, { ...common, variables: { id: contractId } });
        case 'approve':
          return submitMutation(ApproveContractDocument, { ...common, variables: { id: contractId } });
        case 'reject':
          return submitMutation(RejectContractDocument, { ...common, draft: { reason }, variables: { id: contractId, reason: reason.trim() } });
        case 'legal':
          return submitMutation(ConfirmContractLegalDocument, { ...common, variables: { id: contractId } });
      }
    })();
    setBusy(null);
    if (result.status === 'rejected') {
      setError(result.error);
      void outbox.discard(result.entry.id);
      return;
    }
    Toast.show(result.status === 'done' ? { icon: 'success', content: t(`contract.done.${action}`) } : { content: t('outbox.queuedToast') });
    setRejecting(false);
    onDone();
  };

  return (
    <div data-testid="contract-actions">
      <ErrorNotice error={error} testId="action-error" />
      <div className="action-row wrap">
        {actions.map((action) => (
          <Button
            key={action}
            color={action === 'reject' ? 'danger' : action === 'check' ? 'default' : 'primary'}
            fill={action === 'reject' ? 'outline' : 'solid'}
            loading={busy === action}
            disabled={busy !== null}
            data-testid={`contract-${action}`}
            onClick={() => {
              if (action === 'reject') setRejecting(true);
              else void run(action);
            }}
          >
            {t(`contract.action.${action}`)}
          </Button>
        ))}
      </div>
      {rejecting && (
        <div className="padded">
          <TextArea value={reason} onChange={setReason} placeholder={t('contract.rejectReason')} rows={2} data-testid="reject-reason" />
          <Button color="danger" size="small" disabled={!reason.trim()} onClick={() => void run('reject')} data-testid="reject-submit">
            {t('contract.action.reject')}
          </Button>
        </div>
      )}
    </div>
  );
}
