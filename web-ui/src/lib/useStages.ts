import { useCallback } from 'react';
import { useKeptQuery as useQuery } from './useKeptQuery';
import { StagesQuery } from '../features/deals/documents';

/** The org's stages and a key → name lookup. */
export function useStages() {
  const [result, reexecute] = useQuery({ query: StagesQuery });
  const stages = result.data?.stages ?? [];
  const stageName = useCallback((key: string) => stages.find((stage) => stage.key === key)?.name ?? key, [stages]);
  return { stages, stageName, fetching: result.fetching, error: result.error, reexecute };
}
