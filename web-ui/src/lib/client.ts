/**
 * The urql client for reads. Queries go as GET (cacheable, and the server
 * refuses mutations over GET anyway); writes go through the outbox instead.
 */
import { cacheExchange, createClient, fetchExchange } from 'urql';
import { setAppStatus } from './appStatus';
import { setSession } from './session';
import { requestHeaders } from './transport';

async function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const send = async (forceRefresh: boolean) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(await requestHeaders(forceRefresh))) headers.set(name, value);
    // Plain JSON keeps status 200 for GraphQL errors, which urql reads best.
    headers.set('accept', 'application/json');
    return fetch(input, { ...init, headers });
  };
  let response = await send(false);
  let code = await errorCode(response);
  if (code === 'UNAUTHENTICATED') {
    response = await send(true);
    code = await errorCode(response);
    if (code === 'UNAUTHENTICATED') setSession(null);
  }
  if (code === 'CLIENT_TOO_OLD') setAppStatus({ clientTooOld: true });
  return response;
}

async function errorCode(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { errors?: { extensions?: { code?: string } }[] };
    return body.errors?.[0]?.extensions?.code;
  } catch {
    return undefined;
  }
}

export const client = createClient({
  url: '/graphql',
  exchanges: [cacheExchange, fetchExchange],
  fetch: apiFetch,
  preferGetMethod: true,
  requestPolicy: 'cache-and-network',
});
