import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import zhMain from './zh-CN.json';
import enMain from './en.json';
import enLazy from './lazy/receivables.en.json';
import zhLazy from './lazy/receivables.zh-CN.json';

type Messages = { [key: string]: string | Messages };

// Lazily loaded bundles (src/i18n/lazy, added by their feature) count as part of the files.
const zhCN: Messages = { ...zhMain, ...zhLazy };
const en: Messages = { ...enMain, ...enLazy };

function flatten(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'gql' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\./.test(name) ? [path] : [];
  });
}

const zhKeys = new Set(flatten(zhCN));
const enKeys = new Set(flatten(en));
const srcDir = join(import.meta.dirname, '..');

describe('message files', () => {
  it('have the same keys in zh-CN and en', () => {
    expect([...zhKeys].filter((key) => !enKeys.has(key)), 'missing in en').toEqual([]);
    expect([...enKeys].filter((key) => !zhKeys.has(key)), 'missing in zh-CN').toEqual([]);
  });

  it('have no empty messages', () => {
    const empty = (messages: Messages) => flatten(messages).filter((key) => {
      const value = key.split('.').reduce<string | Messages>((node, part) => (node as Messages)[part], messages);
      return typeof value !== 'string' || value.trim() === '';
    });
    expect(empty(zhCN)).toEqual([]);
    expect(empty(en)).toEqual([]);
  });

  it('contain every key the code uses, in both languages', () => {
    const used = new Set<string>();
    const dynamic = new Set<string>();
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*['`]([^'`]+)['`]/g)) {
        const key = match[1];
        if (key.includes('${')) dynamic.add(key.slice(0, key.indexOf('${')));
        else used.add(key);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].flatMap((key) => [
      ...(zhKeys.has(key) ? [] : [`zh-CN: ${key}`]),
      ...(enKeys.has(key) ? [] : [`en: ${key}`]),
    ]);
    expect(missing).toEqual([]);
    // `activityKind.${kind}` and the like: the prefix must hold entries in both files.
    for (const prefix of dynamic) {
      expect([...zhKeys].some((key) => key.startsWith(prefix)), `zh-CN has ${prefix}*`).toBe(true);
      expect([...enKeys].some((key) => key.startsWith(prefix)), `en has ${prefix}*`).toBe(true);
    }
  });

  it('name every enum value the UI translates', () => {
    const schema = readFileSync(join(srcDir, '../../schema.graphql'), 'utf8');
    // Enum bodies may carry """doc strings""" before a value: drop them first.
    const values = (name: string) =>
      /enum \w+ \{([^}]*)\}/.exec(schema.slice(schema.indexOf(`enum ${name} `)))![1].replace(/"""[\s\S]*?"""/g, ' ').trim().split(/\s+/);
    for (const [prefix, enumName] of [['activityKind', 'ActivityKindValue'], ['decisionRole', 'DecisionRoleValue'], ['role', 'Role'], ['alertKind', 'AlertKindValue'], ['alertStatus', 'AlertStatus'], ['ticketKind', 'TicketKindValue'], ['requirementType', 'RequirementTypeValue'], ['tickets.status', 'TicketStatusValue'], ['tickets.color', 'SlaColorValue'], ['tickets.column', 'SlaColorValue'], ['weekday', 'WeekdayValue']] as const) {
      for (const value of values(enumName)) {
        expect(zhKeys.has(`${prefix}.${value}`), `zh-CN ${prefix}.${value}`).toBe(true);
        expect(enKeys.has(`${prefix}.${value}`), `en ${prefix}.${value}`).toBe(true);
      }
    }
    // Import row errors: every code but OTHER, which shows the server's words.
    for (const value of values('ImportErrorCode').filter((value) => value !== 'OTHER')) {
      expect(zhKeys.has(`imp.error.${value}`), `zh-CN imp.error.${value}`).toBe(true);
      expect(enKeys.has(`imp.error.${value}`), `en imp.error.${value}`).toBe(true);
    }
  });
});
