/**
 * Dark and light themes: the user's choice (remembered) if they made one, else the OS
 * preference, followed live when it changes (an OS that switches to dark at sunset).
 */
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'dark' | 'light';
const KEY = 'election-playground:theme';

function savedTheme(): Theme | null {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    /* storage may be unavailable */
  }
  return null;
}

const osDark = () => window.matchMedia?.('(prefers-color-scheme: dark)');

export function initialTheme(): Theme {
  return savedTheme() ?? (osDark()?.matches ? 'dark' : 'light');
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(
    () => (document.documentElement.dataset.theme as Theme) || initialTheme(),
  );
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    const mq = osDark();
    if (!mq) return;
    const follow = (e: MediaQueryListEvent) => {
      if (savedTheme() === null) setTheme(e.matches ? 'dark' : 'light');
    };
    mq.addEventListener('change', follow);
    return () => mq.removeEventListener('change', follow);
  }, []);
  const toggle = useCallback(() => {
    setTheme((t) => {
      const next = t === 'dark' ? 'light' : 'dark';
      try {
        localStorage.setItem(KEY, next);
      } catch {
        /* ignore */
      }
      return next;
    });
  }, []);
  return [theme, toggle];
}
