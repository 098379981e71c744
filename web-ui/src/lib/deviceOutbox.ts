/**
 * The app's one outbox, its React hooks and `submitMutation`, the only way
 * screens write.
 */
import { useEffect, useState } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { stringifyDocument } from 'urql';
import { Outbox, type OutboxEntry, type SubmitResult } from './outbox';
import { sendGraphQL } from './transport';

export const outbox = new Outbox({
  idb: globalThis.indexedDB,
  send: (entry) => sendGraphQL({ query: entry.query, variables: entry.variables, idempotencyKey: entry.id }),
});

export interface MutationSubmission<Vars> {
  variables: Vars;
  draft: Record<string, unknown>;
  draftKey: string;
  route: string;
  label: string;
  userId: string;
  replaces?: string;
}

/** Queues a typed mutation in the outbox and tries to send it now. */
export function submitMutation<Result, Vars extends Record<string, unknown>>(
  document: TypedDocumentNode<Result, Vars>,
  submission: MutationSubmission<Vars>,
): Promise<SubmitResult & { data?: Result }> {
  const query = stringifyDocument(document);
  const operation = /\{\s*(\w+)/.exec(query.slice(query.indexOf('{')))?.[1] ?? 'mutation';
  return outbox.submit({ ...submission, query, operation }) as Promise<SubmitResult & { data?: Result }>;
}

/** Every entry in the outbox, kept current. */
export function useOutboxEntries(): OutboxEntry[] {
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  useEffect(() => {
    let alive = true;
    const load = () => void outbox.list().then((list) => alive && setEntries(list));
    load();
    const unsubscribe = outbox.subscribe(load);
    return () => {
      alive = false;
      unsubscribe();
    };
  }, []);
  return entries;
}

/** Calls `refresh` whenever a queued submission reaches the server. */
export function useOnSynced(refresh: () => void): void {
  useEffect(
    () =>
      outbox.subscribe((event) => {
        if (event.type === 'synced') refresh();
      }),
    [refresh],
  );
}

/** The queued or refused submission of one form, if any, for restoring its draft. */
export function useDraft(draftKey: string): { entry: OutboxEntry | undefined; loaded: boolean } {
  const [state, setState] = useState<{ entry: OutboxEntry | undefined; loaded: boolean }>({ entry: undefined, loaded: false });
  useEffect(() => {
    let alive = true;
    void outbox.findDraft(draftKey).then((entry) => alive && setState({ entry, loaded: true }));
    return () => {
      alive = false;
    };
  }, [draftKey]);
  return state;
}
