/**
 * The inputs a stage's gate asks for (`Stage.gateFields`), one per field name
 * of `moveDealStage`. Which fields appear is decided by the server's stage
 * configuration, never hard-coded per stage.
 */
import { Form, Input, Selector, TextArea } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

export const DECISION_ROLES = ['DECISION_MAKER', 'INFLUENCER', 'USER', 'GATEKEEPER', 'CHAMPION'] as const;

/** Gate field names this form knows how to render, in display order. */
export const KNOWN_GATE_FIELDS = ['coreNeed', 'decisionRole', 'contactId', 'nextFollowUpAt', 'amount', 'lostReason'] as const;

export interface GateContact {
  id: string;
  name: string;
  title?: string | null;
}

export function orderGateFields(fields: readonly string[]): string[] {
  const known = KNOWN_GATE_FIELDS.filter((field) => fields.includes(field));
  const unknown = fields.filter((field) => !(KNOWN_GATE_FIELDS as readonly string[]).includes(field));
  return [...known, ...unknown];
}

export function GateFields({ fields, contacts }: { fields: readonly string[]; contacts: GateContact[] }) {
  const { t } = useTranslation();
  return (
    <>
      {orderGateFields(fields).map((field) => {
        switch (field) {
          case 'coreNeed':
            return (
              <Form.Item key={field} name="coreNeed" label={t('gate.coreNeed')} required>
                <TextArea placeholder={t('gate.coreNeedPlaceholder')} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="gate-coreNeed" />
              </Form.Item>
            );
          case 'decisionRole':
            return (
              <Form.Item key={field} name="decisionRole" label={t('gate.decisionRole')} required>
                <Selector
                  columns={3}
                  options={DECISION_ROLES.map((role) => ({ label: t(`decisionRole.${role}`), value: role }))}
                />
              </Form.Item>
            );
          case 'contactId':
            return (
              <Form.Item key={field} name="contactId" label={t('gate.contactId')} required>
                {contacts.length > 0 ? (
                  <Selector columns={2} options={contacts.map((contact) => ({ label: contact.name, value: contact.id }))} />
                ) : (
                  <span className="muted">{t('gate.noContacts')}</span>
                )}
              </Form.Item>
            );
          case 'nextFollowUpAt':
            return (
              <Form.Item key={field} name="nextFollowUpAt" label={t('gate.nextFollowUpAt')} required>
                <input type="datetime-local" className="native-input" data-testid="gate-nextFollowUpAt" />
              </Form.Item>
            );
          case 'amount':
            return (
              <Form.Item key={field} name="amount" label={t('gate.amount')} required extra="CNY">
                <Input type="text" inputMode="decimal" placeholder="680000" data-testid="gate-amount" />
              </Form.Item>
            );
          case 'lostReason':
            return (
              <Form.Item key={field} name="lostReason" label={t('gate.lostReason')} required>
                <TextArea autoSize={{ minRows: 2, maxRows: 4 }} data-testid="gate-lostReason" />
              </Form.Item>
            );
          default:
            return (
              <Form.Item key={field} name={field} label={field} required>
                <Input />
              </Form.Item>
            );
        }
      })}
    </>
  );
}

/** Form values (selectors give arrays) → `MoveDealStageInput` fields. */
export function gateValuesToInput(values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  if (text(values.coreNeed)) input.coreNeed = text(values.coreNeed);
  if (first(values.decisionRole)) input.decisionRole = first(values.decisionRole);
  if (first(values.contactId)) input.contactId = first(values.contactId);
  if (text(values.nextFollowUpAt)) {
    const date = new Date(values.nextFollowUpAt as string);
    if (!Number.isNaN(date.getTime())) input.nextFollowUpAt = date.toISOString();
  }
  if (text(values.amount)) input.amount = { amount: text(values.amount), currency: 'CNY' };
  if (text(values.lostReason)) input.lostReason = text(values.lostReason);
  return input;
}
