/**
 * The device outbox: every mutation is written to IndexedDB before it is sent,
 * carries one `Idempotency-Key` for its whole life (so a retry can never apply
 * twice), and leaves the queue only when the server has accepted it. A refused
 * submission stays as a draft with the server's errors until the person fixes
 * or discards it — nothing typed is dropped.
 */
import type { ApiError } from './errors';
import type { SendOutcome } from './transport';

export type EntryState = 'pending' | 'rejected' | 'blocked';

export interface OutboxEntry {
  /** Also the `Idempotency-Key`: one per submission, kept across retries. */
  id: string;
  /** The mutation's field name, e.g. `logActivity`. */
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  /** The form's own values, to bring the draft back exactly as typed. */
  draft: Record<string, unknown>;
  /** Which form the draft belongs to, e.g. `move-stage:<dealId>`. */
  draftKey: string;
  /** Where that form lives, to open it from the outbox list. */
  route: string;
  /** A short human description for the "waiting to sync" list. */
  label: string;
  /** Submissions are sent only as the user who made them (keys are per caller). */
  userId: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  state: EntryState;
  error?: ApiError;
}

export interface SubmitInput {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  draft: Record<string, unknown>;
  draftKey: string;
  route: string;
  label: string;
  userId: string;
  /** A refused entry this submission corrects; it leaves the queue atomically. */
  replaces?: string;
}

/** What a form learns right after submitting. */
export type SubmitResult =
  | { status: 'done'; data: Record<string, unknown>; entry: OutboxEntry }
  | { status: 'queued'; entry: OutboxEntry }
  | { status: 'rejected'; error: ApiError; entry: OutboxEntry };

export interface OutboxOptions {
  idb: IDBFactory;
  send: (entry: OutboxEntry) => Promise<SendOutcome>;
  dbName?: string;
  now?: () => number;
  random?: () => number;
  newId?: () => string;
}

export type OutboxEvent = { type: 'changed' } | { type: 'synced'; entry: OutboxEntry; data: Record<string, unknown> };

const STORE = 'entries';

/** Back-off before attempt n+1: 1 s, 2 s, 4 s … capped at 60 s, ±20 % jitter. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class Outbox {
  private readonly options: Required<OutboxOptions>;
  private dbPromise: Promise<IDBDatabase> | null = null;
  private readonly listeners = new Set<(event: OutboxEvent) => void>();
  private readonly inFlight = new Set<string>();
  private flushing: Promise<void> | null = null;
  /** What the last flush found in the store (to notice another tab's changes). */
  private lastSeen: string | null = null;
  private userId: string | null = null;

  constructor(options: OutboxOptions) {
    this.options = {
      dbName: 'dealdesk-outbox',
      now: () => Date.now(),
      random: Math.random,
      newId: () => crypto.randomUUID(),
      ...options,
    };
  }

  /** Whose entries may be sent now (null: nobody is signed in). */
  setUser(userId: string | null): void {
    this.userId = userId;
  }

  subscribe(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(): Promise<OutboxEntry[]> {
    const entries = await this.request<OutboxEntry[]>('readonly', (store) => store.getAll());
    return entries.sort((a, b) => a.createdAt - b.createdAt);
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    return this.request<OutboxEntry | undefined>('readonly', (store) => store.get(id));
  }

  /** The newest queued or refused submission of a form, to restore its draft. */
  async findDraft(draftKey: string): Promise<OutboxEntry | undefined> {
    const entries = await this.list();
    return entries.filter((entry) => entry.draftKey === draftKey).pop();
  }

  /** Queues a submission, then tries to send it at once. */
  async submit(input: SubmitInput): Promise<SubmitResult> {
    const now = this.options.now();
    const entry: OutboxEntry = {
      id: this.options.newId(),
      operation: input.operation,
      query: input.query,
      variables: input.variables,
      draft: input.draft,
      draftKey: input.draftKey,
      route: input.route,
      label: input.label,
      userId: input.userId,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      state: 'pending',
    };
    const db = await this.db();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      if (input.replaces) store.delete(input.replaces);
      store.put(entry);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    this.emit({ type: 'changed' });
    return this.sendEntry(entry);
  }

  /** Removes an entry on the person's explicit request. */
  async discard(id: string): Promise<void> {
    await this.request('readwrite', (store) => store.delete(id));
    this.emit({ type: 'changed' });
  }

  /**
   * After a restart, sign-in or reload: blocked entries (signed out, client
   * too old) become sendable again.
   */
  async unblock(): Promise<void> {
    const entries = await this.list();
    for (const entry of entries.filter((candidate) => candidate.state === 'blocked')) {
      await this.put({ ...entry, state: 'pending', nextAttemptAt: this.options.now() });
    }
    this.emit({ type: 'changed' });
  }

  /** Makes every waiting entry due now (the network just came back). */
  async retryNow(): Promise<void> {
    const entries = await this.list();
    for (const entry of entries.filter((candidate) => candidate.state === 'pending')) {
      await this.put({ ...entry, nextAttemptAt: this.options.now() });
    }
    await this.flush();
  }

  /** Sends every due entry of the current user, oldest first; stops at the first network failure. */
  async flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const now = this.options.now();
    const entries = await this.list();
    // Another tab shares this IndexedDB store: when it sent (or queued) an
    // entry, this tab's listeners hear of it here, on the next tick.
    const seen = entries.map((entry) => `${entry.id}:${entry.state}:${entry.attempts}`).join(',');
    if (this.lastSeen !== null && seen !== this.lastSeen) this.emit({ type: 'changed' });
    this.lastSeen = seen;
    const due = entries.filter(
      (entry) => entry.state === 'pending' && entry.nextAttemptAt <= now && entry.userId === this.userId,
    );
    for (const entry of due) {
      const result = await this.sendEntry(entry);
      if (result.status === 'queued') break;
    }
  }

  private async sendEntry(entry: OutboxEntry): Promise<SubmitResult> {
    if (this.inFlight.has(entry.id)) return { status: 'queued', entry };
    this.inFlight.add(entry.id);
    try {
      const outcome = await this.options.send(entry);
      switch (outcome.kind) {
        case 'ok': {
          await this.request('readwrite', (store) => store.delete(entry.id));
          this.emit({ type: 'changed' });
          this.emit({ type: 'synced', entry, data: outcome.data });
          return { status: 'done', data: outcome.data, entry };
        }
        case 'retry': {
          const attempts = entry.attempts + 1;
          const next: OutboxEntry = {
            ...entry,
            attempts,
            state: 'pending',
            error: outcome.error,
            nextAttemptAt: this.options.now() + backoffMs(attempts, this.options.random),
          };
          await this.put(next);
          this.emit({ type: 'changed' });
          return { status: 'queued', entry: next };
        }
        case 'blocked': {
          const next: OutboxEntry = { ...entry, state: 'blocked', error: outcome.error };
          await this.put(next);
          this.emit({ type: 'changed' });
          return { status: 'queued', entry: next };
        }
        case 'rejected': {
          const next: OutboxEntry = { ...entry, attempts: entry.attempts + 1, state: 'rejected', error: outcome.error };
          await this.put(next);
          this.emit({ type: 'changed' });
          return { status: 'rejected', error: outcome.error, entry: next };
        }
      }
    } finally {
      this.inFlight.delete(entry.id);
    }
  }

  private emit(event: OutboxEvent): void {
    this.listeners.forEach((listener) => listener(event));
  }

  private async put(entry: OutboxEntry): Promise<void> {
    await this.request('readwrite', (store) => store.put(entry));
  }

  private db(): Promise<IDBDatabase> {
    this.dbPromise ??= new Promise((resolve, reject) => {
      const open = this.options.idb.open(this.options.dbName, 1);
      open.onupgradeneeded = () => {
        if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE, { keyPath: 'id' });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return this.dbPromise;
  }

  private async request<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await this.db();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result as T);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
}

/**
 * Runs the outbox in the page: sends due entries every few seconds, at once
 * when the browser comes back online, and after sign-in.
 */
export function startOutboxScheduler(outbox: Outbox, intervalMs = 2000): () => void {
  const onOnline = () => void outbox.retryNow();
  window.addEventListener('online', onOnline);
  const timer = window.setInterval(() => void outbox.flush(), intervalMs);
  void outbox.flush();
  return () => {
    window.removeEventListener('online', onOnline);
    window.clearInterval(timer);
  };
}
