import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Form, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import i18n from '../i18n';
import { submitMutation, useDraft } from './deviceOutbox';
import type { ApiError } from './errors';
import { applyFieldErrors, type FieldReason } from './formErrors';
import { useSession } from './hooks';

/**
 * A form whose submission goes through the outbox: restores a refused draft
 * with its errors, puts the server's field errors next to the inputs, and
 * tells the person when a submission waits for the network.
 */
export function useOutboxForm(draftKey: string, fields: readonly string[], reasonFor?: FieldReason) {
  const [form] = Form.useForm();
  const session = useSession();
  const { entry: draft } = useDraft(draftKey);
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // The refused entry this form now holds: a corrected submission replaces it.
  const [refusedId, setRefusedId] = useState<string | undefined>();

  useEffect(() => {
    if (!draft || draft.state !== 'rejected') return;
    form.setFieldsValue(draft.draft);
    if (draft.error) {
      setError(draft.error);
      applyFieldErrors(form, draft.error, fields, reasonFor);
    }
  }, [draft, form, fields, reasonFor]);

  async function submit<Result, Vars extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Vars>,
    variables: Vars,
    options: { label: string; route: string; onDone: (data: Result) => void; onQueued: () => void },
  ) {
    if (!session) return;
    setSubmitting(true);
    setError(null);
    form.setFields(fields.map((name) => ({ name, errors: [] })));
    const result = await submitMutation(document, {
      variables,
      draft: form.getFieldsValue() as Record<string, unknown>,
      draftKey,
      route: options.route,
      label: options.label,
      userId: session.user.id,
      replaces: refusedId ?? (draft?.state === 'rejected' ? draft.id : undefined),
    });
    setSubmitting(false);
    if (result.status !== 'rejected') setRefusedId(undefined);
    if (result.status === 'done') {
      Toast.show({ icon: 'success', content: i18n.t('common.saved') });
      options.onDone(result.data as Result);
    } else if (result.status === 'queued') {
      Toast.show({ content: i18n.t('outbox.queuedToast') });
      options.onQueued();
    } else {
      setRefusedId(result.entry.id);
      setError(result.error);
      applyFieldErrors(form, result.error, fields, reasonFor);
    }
  }

  return { form, error, submitting, submit };
}

/** Empty strings become absent: optional inputs left blank are not sent. */
export function compact<T extends Record<string, unknown>>(values: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    result[key] = typeof value === 'string' ? value.trim() : value;
  }
  return result as T;
}
