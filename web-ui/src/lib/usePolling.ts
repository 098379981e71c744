import { useEffect, useState } from 'react';

/** Calls `refresh` every `ms` while the page is visible (SLA countdowns come from the server). */
export function usePolling(refresh: () => void, ms = 30_000): void {
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') refresh();
    }, ms);
    return () => window.clearInterval(id);
  }, [refresh, ms]);
}

/** Whether a CSS media query matches, kept current. */
export function useMediaQuery(query: string): boolean {
  const get = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
  const [matches, setMatches] = useState(get);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}
