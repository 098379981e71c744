/**
 * App-wide conditions the shell shows as banners: a client too old for the
 * server (S5) and whether the browser believes it is online.
 */
type Listener = () => void;

interface AppStatus {
  clientTooOld: boolean;
  online: boolean;
}

let status: AppStatus = {
  clientTooOld: false,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
};
const listeners = new Set<Listener>();

export function getAppStatus(): AppStatus {
  return status;
}

export function subscribeAppStatus(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setAppStatus(patch: Partial<AppStatus>): void {
  const next = { ...status, ...patch };
  if (next.clientTooOld === status.clientTooOld && next.online === status.online) return;
  status = next;
  listeners.forEach((listener) => listener());
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => setAppStatus({ online: true }));
  window.addEventListener('offline', () => setAppStatus({ online: false }));
}
