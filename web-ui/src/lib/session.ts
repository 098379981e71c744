/**
 * The signed-in session: tokens in localStorage, refreshed shortly before the
 * 15-minute access token expires. Refresh tokens are single use, so at most one
 * refresh runs at a time and every caller waits for it.
 */
import { APP_VERSION } from './version';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: string;
  orgName: string;
}

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  /** When the token expires by this device's clock: receipt time plus the token's own lifetime (robust to clock skew). */
  localExpiresAt?: number;
  refreshToken: string;
  user: SessionUser;
}

/** What the login screen pre-fills: the last email and the org it belonged to. */
export interface LastLogin {
  email: string;
  orgName: string;
}

const SESSION_KEY = 'dealdesk.session';
const LAST_LOGIN_KEY = 'dealdesk.lastLogin';
const REFRESH_MARGIN_MS = 60_000;

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session | null = readJson<Session>(SESSION_KEY);
let refreshing: Promise<Session | null> | null = null;

function readJson<T>(key: string): T | null {
  try {
    const text = globalThis.localStorage?.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return current;
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setSession(session: Session | null): void {
  current = session;
  if (session) {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    localStorage.setItem(LAST_LOGIN_KEY, JSON.stringify({ email: session.user.email, orgName: session.user.orgName }));
  } else {
    localStorage.removeItem(SESSION_KEY);
  }
  listeners.forEach((listener) => listener());
}

export function getLastLogin(): LastLogin | null {
  return readJson<LastLogin>(LAST_LOGIN_KEY);
}

const AUTH_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id name email role org { name } }';

interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string; name: string; email: string; role: string; org: { name: string } };
}

/** The token's lifetime in ms from its own `iat`/`exp` claims, or null when unreadable. */
function tokenLifetimeMs(token: string): number | null {
  try {
    const part = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { iat?: number; exp?: number };
    return typeof claims.iat === 'number' && typeof claims.exp === 'number' ? (claims.exp - claims.iat) * 1000 : null;
  } catch {
    return null;
  }
}

function toSession(payload: AuthPayload): Session {
  const { user } = payload;
  const lifetime = tokenLifetimeMs(payload.accessToken);
  return {
    accessToken: payload.accessToken,
    accessTokenExpiresAt: payload.accessTokenExpiresAt,
    localExpiresAt: lifetime === null ? undefined : Date.now() + lifetime,
    refreshToken: payload.refreshToken,
    user: { id: user.id, name: user.name, email: user.email, role: user.role, orgName: user.org.name },
  };
}

interface AuthResponse {
  data?: Record<string, AuthPayload> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function authRequest(query: string, variables: Record<string, string>): Promise<AuthResponse> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'x-client-version': APP_VERSION,
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as AuthResponse;
}

/** Signs in; resolves to an error code (`UNAUTHENTICATED`, `RATE_LIMITED`, `NETWORK`, …) or null. */
export async function login(email: string, password: string): Promise<string | null> {
  let body: AuthResponse;
  try {
    body = await authRequest(`mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH_FIELDS} } }`, {
      email,
      password,
    });
  } catch {
    return 'NETWORK';
  }
  const payload = body.data?.login;
  if (!payload) return body.errors?.[0]?.extensions?.code ?? 'INTERNAL';
  setSession(toSession(payload));
  return null;
}

/** Signs out on the server (best effort) and forgets the tokens; queued drafts stay. */
export async function logout(): Promise<void> {
  const session = current;
  setSession(null);
  if (!session) return;
  try {
    await authRequest('mutation Logout($token: String!) { revokeRefreshToken(refreshToken: $token) }', { token: session.refreshToken });
  } catch {
    // Offline: the refresh token simply expires.
  }
}

/**
 * An access token valid for at least another minute, refreshing if needed.
 * Null when signed out or the refresh was refused (the user must sign in);
 * throws on network failure so callers can retry later.
 */
export async function validAccessToken(force = false): Promise<string | null> {
  // Another tab may have refreshed already: its tokens replace ours (ours are spent).
  const stored = readJson<Session>(SESSION_KEY);
  if (current && stored && stored.refreshToken !== current.refreshToken && stored.user.id === current.user.id) {
    current = stored;
  }
  const session = current;
  if (!session) return null;
  const expiresAt = session.localExpiresAt ?? Date.parse(session.accessTokenExpiresAt);
  if (!force && expiresAt - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
  refreshing ??= refresh(session).finally(() => {
    refreshing = null;
  });
  const refreshed = await refreshing;
  return refreshed?.accessToken ?? null;
}

async function refresh(session: Session): Promise<Session | null> {
  const body = await authRequest(`mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_FIELDS} } }`, {
    token: session.refreshToken,
  });
  const payload = body.data?.refreshToken;
  if (payload) {
    const next = toSession(payload);
    setSession(next);
    return next;
  }
  const code = body.errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED') {
    setSession(null);
    return null;
  }
  throw new Error(`refresh failed: ${code ?? 'unknown'}`);
}
