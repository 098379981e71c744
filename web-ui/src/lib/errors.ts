/** An error as the API reports it: a stable code, a message and the offending input fields. */
export interface ApiError {
  code: string;
  message: string;
  /** Input field names from `extensions.fields` (validation and stage gates). */
  fields: string[];
  /** The server's reason per field, parsed from the message when it names them. */
  fieldMessages: Record<string, string>;
}

/** Codes that a person must act on: retrying the same request cannot succeed. */
export const USER_FIXABLE_CODES = new Set([
  'BAD_INPUT',
  'STAGE_GATE_MISSING_FIELDS',
  'INVALID_TRANSITION',
  'CUSTOMER_RISK_FROZEN',
  'PAYMENT_CHECK_REQUIRED',
  'CONFLICT',
  'NOT_FOUND',
  'FORBIDDEN',
]);

interface RawError {
  message?: string;
  extensions?: { code?: string; fields?: unknown };
}

/** Turns the first entry of a GraphQL `errors` array into an `ApiError`. */
export function apiErrorFrom(raw: RawError | undefined): ApiError {
  const code = raw?.extensions?.code ?? 'INTERNAL';
  const message = raw?.message ?? 'unknown error';
  const fields = Array.isArray(raw?.extensions?.fields)
    ? (raw!.extensions!.fields as unknown[]).filter((field): field is string => typeof field === 'string').map(normalizeField)
    : [];
  return { code, message, fields, fieldMessages: parseFieldMessages(message, fields) };
}

/** `input.amount.amount` → `amount`: forms know fields by their top-level input name. */
export function normalizeField(field: string): string {
  const parts = field.split('.').filter((part) => part !== 'input');
  return parts[0] ?? field;
}

/**
 * The server words validation errors as `invalid input: name: is required; creditCode: …`.
 * Pick out each named field's reason so it can sit next to its input.
 */
export function parseFieldMessages(message: string, fields: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  const body = message.replace(/^invalid input:\s*/, '');
  for (const part of body.split(/;\s*/)) {
    const match = /^([A-Za-z0-9_.]+):\s*(.+)$/.exec(part);
    if (match) {
      const field = normalizeField(match[1]);
      if (fields.includes(field)) result[field] = match[2];
    }
  }
  return result;
}

/** A network failure (no answer at all). */
export function networkError(message: string): ApiError {
  return { code: 'NETWORK', message, fields: [], fieldMessages: {} };
}
