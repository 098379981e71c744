import { useCallback } from 'react';
import { useKeptQuery as useQuery } from './useKeptQuery';
import { StagesDocument } from './stages.generated';

/** The org's stages and a key → name lookup. */
export function useStages() {
  const [result, reexecute] = useQuery({ query: StagesDocument });
  const stages = result.data?.stages ?? [];
  const stageName = useCallback((key: string) => stages.find((stage) => stage.key === key)?.name ?? key, [stages]);
  return { stages, stageName, fetching: result.fetching, error: result.error, reexecute };
}
