import { useSyncExternalStore } from 'react';
import { getAppStatus, subscribeAppStatus } from './appStatus';
import { getSession, subscribeSession } from './session';

export function useSession() {
  return useSyncExternalStore(subscribeSession, getSession);
}

export function useAppStatus() {
  return useSyncExternalStore(subscribeAppStatus, getAppStatus);
}
