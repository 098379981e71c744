import type { FormInstance } from 'antd-mobile/es/components/form';
import i18n from '../i18n';
import type { ApiError } from './errors';

/** A form's own wording of a server field error (e.g. a range, in the chosen language). */
export type FieldReason = (field: string, error: ApiError) => string | undefined;

/**
 * Puts the server's field errors next to the inputs they name; returns the
 * fields that have no input on this form (shown in the general message).
 */
export function applyFieldErrors(form: FormInstance, error: ApiError, formFields: readonly string[], reasonFor?: FieldReason): string[] {
  const orphans: string[] = [];
  const entries = error.fields.map((field) => {
    if (!formFields.includes(field)) orphans.push(field);
    const reason =
      error.code === 'STAGE_GATE_MISSING_FIELDS'
        ? i18n.t('errors.gateRequired')
        : reasonFor?.(field, error) ?? error.fieldMessages[field] ?? i18n.t('errors.invalidField');
    return { name: field, errors: [reason] };
  });
  form.setFields(entries);
  return orphans;
}

/** A sentence for an error code, in the current language. */
export function errorText(error: ApiError): string {
  const key = `errors.code.${error.code}`;
  return i18n.exists(key) ? i18n.t(key) : error.message;
}
