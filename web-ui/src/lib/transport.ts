/**
 * GraphQL over HTTP for the outbox and the urql client: every request carries
 * `X-Client-Version`, the bearer token (refreshed when close to expiry) and,
 * for queued mutations, the entry's `Idempotency-Key`.
 */
import { setAppStatus } from './appStatus';
import { apiErrorFrom, networkError, USER_FIXABLE_CODES, type ApiError } from './errors';
import { validAccessToken } from './session';
import { APP_VERSION } from './version';

/** What became of one attempt to send a mutation. */
export type SendOutcome =
  | { kind: 'ok'; data: Record<string, unknown> }
  /** Network down, server error, rate limited: try again later, unchanged. */
  | { kind: 'retry'; error: ApiError }
  /** The server refused the input: the person must edit the draft. */
  | { kind: 'rejected'; error: ApiError }
  /** Cannot be sent now (signed out, client too old); kept untouched. */
  | { kind: 'blocked'; error: ApiError };

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
  idempotencyKey?: string;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: { code?: string; fields?: unknown } }[];
}

/** The headers every request sends, plus a bearer token when signed in. */
export async function requestHeaders(forceRefresh = false): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    accept: 'application/graphql-response+json, application/json',
    'x-client-version': APP_VERSION,
  };
  const token = await validAccessToken(forceRefresh);
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

/** Sends one mutation and classifies the answer; never throws. */
export async function sendGraphQL(request: GraphQLRequest, fetcher: typeof fetch = fetch): Promise<SendOutcome> {
  let outcome = await attempt(request, fetcher, false);
  if (outcome.kind === 'blocked' && outcome.error.code === 'UNAUTHENTICATED') {
    // The access token may have expired in flight: refresh once and resend.
    outcome = await attempt(request, fetcher, true);
  }
  return outcome;
}

async function attempt(request: GraphQLRequest, fetcher: typeof fetch, forceRefresh: boolean): Promise<SendOutcome> {
  let headers: Record<string, string>;
  try {
    headers = await requestHeaders(forceRefresh);
  } catch (error) {
    return { kind: 'retry', error: networkError(String(error)) };
  }
  if (!headers.authorization) {
    return { kind: 'blocked', error: { code: 'UNAUTHENTICATED', message: 'sign in to send', fields: [], fieldMessages: {} } };
  }
  headers['content-type'] = 'application/json';
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  let response: Response;
  try {
    response = await fetcher('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: request.query, variables: request.variables }),
    });
  } catch (error) {
    return { kind: 'retry', error: networkError(String(error)) };
  }
  let body: GraphQLBody;
  try {
    body = (await response.json()) as GraphQLBody;
  } catch {
    return { kind: 'retry', error: networkError(`HTTP ${response.status}`) };
  }
  return classify(body, response.status);
}

/** Maps a GraphQL response body onto an outcome. */
export function classify(body: GraphQLBody, status = 200): SendOutcome {
  if (body.errors && body.errors.length > 0) {
    const error = apiErrorFrom(body.errors[0]);
    if (error.code === 'CLIENT_TOO_OLD') {
      setAppStatus({ clientTooOld: true });
      return { kind: 'blocked', error };
    }
    if (error.code === 'UNAUTHENTICATED') return { kind: 'blocked', error };
    if (USER_FIXABLE_CODES.has(error.code)) return { kind: 'rejected', error };
    return { kind: 'retry', error };
  }
  if (status >= 500 || !body.data) return { kind: 'retry', error: networkError(`HTTP ${status}`) };
  return { kind: 'ok', data: body.data };
}
