import { Button, Card, Checkbox, Form, Input, NoticeBar, SpinLoading, Stepper } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import type { StagesQuery } from '../../lib/stages.generated';
import { errorText } from '../../lib/formErrors';
import { useStages } from '../../lib/useStages';
import { useOnSynced } from '../../lib/deviceOutbox';
import { useOutboxForm } from '../../lib/useOutboxForm';
import { KNOWN_GATE_FIELDS } from '../deals/GateFields';
import { UpdateStageDocument } from './documents.generated';

type Stage = StagesQuery['stages'][number];
const FIELDS = ['name', 'gateFields', 'stuckAfterHours', 'probability'] as const;

/** Admin: each stage's name, gate fields, stuck threshold and win probability. */
export default function StagesSettingsPage() {
  const { t } = useTranslation();
  const { stages, fetching, reexecute } = useStages();
  useOnSynced(() => reexecute({ requestPolicy: 'network-only' }));
  return (
    <Page title={t('admin.stages')}>
      {fetching && stages.length === 0 && <SpinLoading />}
      {stages.map((stage) => (
        <StageCard key={stage.key} stage={stage} />
      ))}
    </Page>
  );
}

function StageCard({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  const { form, error, submitting, submit } = useOutboxForm(`stage:${stage.key}`, FIELDS);
  return (
    <Card title={`${stage.name} · ${stage.key}`} className="stage-card" data-testid={`stage-${stage.key}`}>
      {error && <NoticeBar color="error" content={errorText(error)} wrap />}
      <Form
        form={form}
        layout="horizontal"
        initialValues={{ name: stage.name, gateFields: stage.gateFields, stuckAfterHours: stage.stuckAfterHours ?? 0, probability: stage.probability }}
        onFinish={(values: { name: string; gateFields: string[]; stuckAfterHours: number; probability: number }) =>
          submit(
            UpdateStageDocument,
            {
              input: {
                key: stage.key,
                name: values.name,
                gateFields: values.gateFields,
                stuckAfterHours: stage.kind === 'OPEN' ? values.stuckAfterHours : undefined,
                probability: values.probability,
              },
            },
            { label: t('admin.stageLabel', { stage: values.name }), route: '/settings/stages', onDone: () => undefined, onQueued: () => undefined },
          )
        }
        footer={
          <Button size="small" type="submit" color="primary" loading={submitting}>
            {t('common.save')}
          </Button>
        }
      >
        <Form.Item name="name" label={t('admin.stageName')}>
          <Input />
        </Form.Item>
        <Form.Item name="gateFields" label={t('admin.gateFields')} layout="vertical">
          <Checkbox.Group>
            <div className="checkbox-grid">
              {KNOWN_GATE_FIELDS.map((field) => (
                <Checkbox key={field} value={field}>
                  {t(`gate.${field}`)}
                </Checkbox>
              ))}
            </div>
          </Checkbox.Group>
        </Form.Item>
        {stage.kind === 'OPEN' && (
          <Form.Item name="stuckAfterHours" label={t('admin.stuckAfterHours')}>
            <Stepper min={1} max={10000} step={12} />
          </Form.Item>
        )}
        <Form.Item name="probability" label={t('admin.probability')}>
          <Stepper min={0} max={100} step={5} />
        </Form.Item>
      </Form>
    </Card>
  );
}
