import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { ApiError } from './errors';
import { backoffMs, Outbox, type OutboxEntry, type SubmitInput } from './outbox';
import { classify, type SendOutcome } from './transport';

const badInput: ApiError = { code: 'BAD_INPUT', message: 'invalid input: text: is required', fields: ['text'], fieldMessages: { text: 'is required' } };
const network: ApiError = { code: 'NETWORK', message: 'offline', fields: [], fieldMessages: {} };

/** A fake server: answers from a script and remembers what it applied per Idempotency-Key. */
function fakeServer(script: Array<SendOutcome['kind']>) {
  const applied = new Map<string, number>();
  const keysSeen: string[] = [];
  const send = async (entry: OutboxEntry): Promise<SendOutcome> => {
    keysSeen.push(entry.id);
    const next = script.shift() ?? 'ok';
    if (next === 'retry') return { kind: 'retry', error: network };
    if (next === 'rejected') return { kind: 'rejected', error: badInput };
    if (next === 'blocked') return { kind: 'blocked', error: { ...network, code: 'CLIENT_TOO_OLD' } };
    // Idempotency: a replayed key does not apply twice.
    applied.set(entry.id, 1);
    return { kind: 'ok', data: { logActivity: { id: 'a1' } } };
  };
  return { send, applied, keysSeen };
}

function setup(script: Array<SendOutcome['kind']>) {
  let now = 1_000_000;
  let ids = 0;
  const server = fakeServer(script);
  const outbox = new Outbox({
    idb: new IDBFactory(),
    send: server.send,
    now: () => now,
    random: () => 0.5,
    newId: () => `key-${++ids}`,
  });
  outbox.setUser('u1');
  return { outbox, server, advance: (ms: number) => (now += ms) };
}

const visit: SubmitInput = {
  operation: 'logActivity',
  query: 'mutation LogActivity($input: LogActivityInput!) { logActivity(input: $input) { id } }',
  variables: { input: { customerId: 'c1', kind: 'VISIT', text: '拜访' } },
  draft: { text: '拜访', kind: ['VISIT'] },
  draftKey: 'quick-log',
  route: '/log',
  label: 'visit',
  userId: 'u1',
};

describe('device outbox', () => {
  it('sends at once when online and leaves nothing queued', async () => {
    const { outbox, server } = setup(['ok']);
    const result = await outbox.submit(visit);
    expect(result.status).toBe('done');
    expect(await outbox.list()).toEqual([]);
    expect(server.applied.size).toBe(1);
  });

  it('keeps a failed submission queued, persisted, and retries it with back-off under the same key', async () => {
    const { outbox, server, advance } = setup(['retry', 'retry', 'ok']);
    const result = await outbox.submit(visit);
    expect(result.status).toBe('queued');
    const [queued] = await outbox.list();
    expect(queued.attempts).toBe(1);
    expect(queued.nextAttemptAt - 1_000_000).toBe(backoffMs(1, () => 0.5));

    await outbox.flush(); // not due yet
    expect(server.keysSeen).toHaveLength(1);

    advance(1_000);
    await outbox.flush();
    expect((await outbox.list())[0].attempts).toBe(2);
    advance(2_000);
    await outbox.flush();
    expect(await outbox.list()).toEqual([]);
    expect(new Set(server.keysSeen)).toEqual(new Set(['key-1']));
    expect(server.applied.size).toBe(1);
  });

  it('retries everything at once when the network returns', async () => {
    const { outbox, server } = setup(['retry', 'retry', 'ok', 'ok']);
    await outbox.submit(visit);
    await outbox.submit({ ...visit, draftKey: 'other' });
    await outbox.retryNow();
    expect(await outbox.list()).toEqual([]);
    expect(server.applied.size).toBe(2);
  });

  it('survives a reload: a new Outbox on the same database still holds the entry', async () => {
    const idb = new IDBFactory();
    const first = new Outbox({ idb, send: async () => ({ kind: 'retry', error: network }) });
    await first.submit(visit);
    const second = new Outbox({ idb, send: async () => ({ kind: 'ok', data: {} }) });
    second.setUser('u1');
    expect(await second.list()).toHaveLength(1);
    await second.retryNow();
    expect(await second.list()).toHaveLength(0);
  });

  it('brings a refused draft back with its errors, and a corrected submission replaces it', async () => {
    const { outbox, server } = setup(['rejected', 'ok']);
    const refused = await outbox.submit(visit);
    expect(refused.status).toBe('rejected');
    const draft = await outbox.findDraft('quick-log');
    expect(draft?.state).toBe('rejected');
    expect(draft?.draft).toEqual(visit.draft);
    expect(draft?.error?.fields).toEqual(['text']);
    // Refused entries are not retried on their own.
    await outbox.retryNow();
    expect(server.keysSeen).toHaveLength(1);

    const fixed = await outbox.submit({ ...visit, replaces: draft!.id });
    expect(fixed.status).toBe('done');
    expect(await outbox.list()).toEqual([]);
    // The correction is a new request, so it carries a new key.
    expect(server.keysSeen).toEqual(['key-1', 'key-2']);
  });

  it('holds entries while the client is too old, and sends them after a reload', async () => {
    const { outbox, server } = setup(['blocked', 'ok']);
    const result = await outbox.submit(visit);
    expect(result.status).toBe('queued');
    await outbox.flush();
    expect(server.keysSeen).toHaveLength(1);
    expect((await outbox.list())[0].state).toBe('blocked');
    await outbox.unblock();
    await outbox.flush();
    expect(await outbox.list()).toEqual([]);
    expect(server.keysSeen).toEqual(['key-1', 'key-1']);
  });

  it("sends only the signed-in user's entries", async () => {
    const { outbox, server } = setup(['retry', 'ok']);
    await outbox.submit(visit);
    outbox.setUser('someone-else');
    await outbox.retryNow();
    expect(server.keysSeen).toHaveLength(1);
    expect(await outbox.list()).toHaveLength(1);
  });

  it('discards only on request', async () => {
    const { outbox } = setup(['rejected']);
    const result = await outbox.submit(visit);
    await outbox.discard(result.entry.id);
    expect(await outbox.list()).toEqual([]);
  });
});

describe('classifying answers', () => {
  it('maps error codes onto retry, refuse and hold', () => {
    const error = (code: string, fields?: string[]) => ({ data: null, errors: [{ message: 'm', extensions: { code, fields } }] });
    expect(classify(error('STAGE_GATE_MISSING_FIELDS', ['coreNeed'])).kind).toBe('rejected');
    expect(classify(error('BAD_INPUT', ['input.amount.amount'])).kind).toBe('rejected');
    expect(classify(error('RATE_LIMITED')).kind).toBe('retry');
    expect(classify(error('INTERNAL')).kind).toBe('retry');
    expect(classify(error('CLIENT_TOO_OLD')).kind).toBe('blocked');
    expect(classify(error('UNAUTHENTICATED')).kind).toBe('blocked');
    expect(classify({ data: { x: 1 } }).kind).toBe('ok');
    const refused = classify(error('BAD_INPUT', ['input.amount.amount']));
    expect(refused.kind === 'rejected' && refused.error.fields).toEqual(['amount']);
  });

  it('backs off exponentially up to a minute', () => {
    expect(backoffMs(1, () => 0.5)).toBe(1000);
    expect(backoffMs(3, () => 0.5)).toBe(4000);
    expect(backoffMs(20, () => 0.5)).toBe(60000);
  });
  it("hears of another tab's sync on its next tick (the store is shared)", async () => {
    const idb = new IDBFactory();
    const server = fakeServer(['retry', 'ok']);
    const make = (prefix: string) => {
      const box = new Outbox({ idb, send: server.send, now: () => 2_000_000, random: () => 0.5, newId: () => `${prefix}-1` });
      box.setUser('u1');
      return box;
    };
    const first = make('a');
    const second = make('b');
    expect((await first.submit(visit)).status).toBe('queued');
    const heard: string[] = [];
    second.subscribe((event) => heard.push(event.type));
    await second.flush(); // sees the queued entry (not yet due): remembers it
    heard.length = 0;
    await first.retryNow(); // the first tab sends it
    expect(await first.list()).toEqual([]);
    await second.flush();
    expect(heard).toContain('changed');
    heard.length = 0;
    await second.flush();
    expect(heard).toEqual([]);
  });
});
