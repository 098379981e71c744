/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * for the two mutations that carry a file. A file cannot wait cheaply in
 * IndexedDB, so these go straight to the server instead of through the
 * outbox; the screens show the error and offer to try again.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { stringifyDocument } from 'urql';
import { apiErrorFrom, networkError, type ApiError } from '../../lib/errors';
import { requestHeaders } from '../../lib/transport';

export type UploadOutcome<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** Sends `document` with `variables` and `file` as its `$file` variable. */
export async function sendMultipart<T, Vars extends { file: unknown }>(document: TypedDocumentNode<T, Vars>, variables: Omit<Vars, 'file'>, file: Blob, fileName: string): Promise<UploadOutcome<T>> {
  const body = new FormData();
  body.append('operations', JSON.stringify({ query: stringifyDocument(document), variables: { ...variables, file: null } }));
  body.append('map', JSON.stringify({ 0: ['variables.file'] }));
  body.append('0', file, fileName);
  const attempt = async (forceRefresh: boolean) => {
    const headers = await requestHeaders(forceRefresh);
    headers.accept = 'application/json';
    return fetch('/graphql', { method: 'POST', headers, body });
  };
  try {
    let response = await attempt(false);
    let json = (await response.json().catch(() => null)) as { data?: T | null; errors?: { message?: string; extensions?: { code?: string } }[] } | null;
    if (json?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') {
      response = await attempt(true);
      json = (await response.json().catch(() => null)) as typeof json;
    }
    if (!json) return { ok: false, error: networkError(`HTTP ${response.status}`) };
    if (json.errors?.length) return { ok: false, error: apiErrorFrom(json.errors[0]) };
    if (!json.data) return { ok: false, error: networkError(`HTTP ${response.status}`) };
    return { ok: true, data: json.data };
  } catch (error) {
    return { ok: false, error: networkError(String(error)) };
  }
}

/** Fetches a document with the bearer token and opens it (downloads need the Authorization header). */
export async function openDocument(url: string, fileName: string): Promise<ApiError | null> {
  try {
    const headers = await requestHeaders();
    const response = await fetch(url, { headers: { authorization: headers.authorization ?? '', 'x-client-version': headers['x-client-version'] } });
    if (!response.ok) return networkError(`HTTP ${response.status}`);
    const blob = await response.blob();
    const href = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = href;
    link.download = fileName;
    link.target = '_blank';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    return null;
  } catch (error) {
    return networkError(String(error));
  }
}
