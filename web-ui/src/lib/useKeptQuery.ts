import { useQuery, type AnyVariables, type UseQueryArgs } from 'urql';

/**
 * Last good answers per query and variables, so a screen keeps showing what it
 * had when a refetch fails (offline, bad network) instead of going blank.
 */
const kept = new Map<string, unknown>();

export function useKeptQuery<Data, Variables extends AnyVariables>(args: UseQueryArgs<Variables, Data>) {
  const [result, reexecute] = useQuery<Data, Variables>(args);
  const key = `${(args.query as { loc?: unknown; definitions?: { name?: { value: string } }[] }).definitions?.[0]?.name?.value ?? ''}:${JSON.stringify(args.variables ?? {})}`;
  if (result.data) kept.set(key, result.data);
  const data = result.data ?? (kept.get(key) as Data | undefined);
  return [{ ...result, data }, reexecute] as const;
}
