import { Button, Form, NoticeBar, Selector, SpinLoading, Toast } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { Page } from '../../components/Page';
import { submitMutation, useDraft } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { applyFieldErrors, errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { useStages } from '../../lib/useStages';
import { DealDocument, MoveDealStageDocument } from './documents.generated';
import { GateFields, gateValuesToInput, KNOWN_GATE_FIELDS } from './GateFields';

export default function MoveStagePage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const [form] = Form.useForm();
  const [{ data }] = useKeptQuery({ query: DealDocument, variables: { id } });
  const { stages } = useStages();
  const draftKey = `move-stage:${id}`;
  const { entry: draft, loaded } = useDraft(draftKey);
  const [target, setTarget] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [refusedId, setRefusedId] = useState<string | undefined>();
  const deal = data?.deal;

  // Default target: the draft's, the link's, or the stage after the current one.
  useEffect(() => {
    if (target || !loaded || !deal || stages.length === 0) return;
    if (draft) {
      setTarget(String(draft.draft.stage));
      return;
    }
    const fromLink = params.get('to');
    const index = stages.findIndex((stage) => stage.key === deal.stage);
    setTarget(fromLink ?? stages[index + 1]?.key ?? stages[0].key);
  }, [target, loaded, deal, stages, draft, params]);

  const targetStage = useMemo(() => stages.find((stage) => stage.key === target), [stages, target]);

  // A refused earlier submission comes back exactly as typed, with its errors.
  useEffect(() => {
    if (!draft || !targetStage) return;
    form.setFieldsValue(draft.draft);
    if (draft.state === 'rejected' && draft.error) {
      setError(draft.error);
      applyFieldErrors(form, draft.error, targetStage.gateFields);
    }
  }, [draft, targetStage, form]);

  if (!deal || !session) return <Page title={t('move.title')}>{<SpinLoading />}</Page>;

  const onFinish = async (values: Record<string, unknown>) => {
    if (!targetStage) return;
    setSubmitting(true);
    setError(null);
    form.setFields(KNOWN_GATE_FIELDS.map((name) => ({ name, errors: [] })));
    const draftValues = { ...values, stage: targetStage.key };
    const result = await submitMutation(MoveDealStageDocument, {
      variables: { input: { dealId: deal.id, stage: targetStage.key, ...gateValuesToInput(values) } },
      draft: draftValues,
      draftKey,
      route: `/deals/${deal.id}/move`,
      label: t('move.label', { deal: deal.title, stage: targetStage.name }),
      userId: session.user.id,
      replaces: refusedId ?? (draft?.state === 'rejected' ? draft.id : undefined),
    });
    setSubmitting(false);
    if (result.status === 'done') {
      Toast.show({ icon: 'success', content: t('move.done', { stage: targetStage.name }) });
      navigate(`/deals/${deal.id}`, { replace: true });
    } else if (result.status === 'queued') {
      Toast.show({ content: t('outbox.queuedToast') });
      navigate(`/deals/${deal.id}`, { replace: true });
    } else {
      setRefusedId(result.entry.id);
      setError(result.error);
      applyFieldErrors(form, result.error, targetStage.gateFields);
    }
  };

  return (
    <Page title={t('move.title')}>
      <div className="form-intro">
        {deal.title} · {t('move.from', { stage: deal.stageDetails?.name ?? deal.stage })}
      </div>
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="move-submit">
            {t('move.submit', { stage: targetStage?.name ?? '' })}
          </Button>
        }
      >
        <Form.Header>{t('move.target')}</Form.Header>
        <div className="stage-selector" data-testid="stage-selector">
          <Selector
            columns={3}
            value={target ? [target] : []}
            onChange={(value) => {
              if (value[0]) setTarget(value[0]);
              setError(null);
            }}
            options={stages.filter((stage) => stage.key !== deal.stage).map((stage) => ({ label: stage.name, value: stage.key }))}
          />
        </div>
        {targetStage && targetStage.gateFields.length > 0 && <Form.Header>{t('move.gate', { stage: targetStage.name })}</Form.Header>}
        {targetStage && targetStage.gateFields.length === 0 && <div className="muted padded">{t('move.noGate')}</div>}
        {error && (
          <NoticeBar color="error" content={errorText(error)} wrap data-testid="form-error" />
        )}
        {targetStage && <GateFields fields={targetStage.gateFields} contacts={deal.customer?.contacts ?? []} />}
      </Form>
    </Page>
  );
}
