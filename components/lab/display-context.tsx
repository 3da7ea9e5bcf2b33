'use client';

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** Classroom display settings: terminal/app font size and presenter (projector) mode. */
export interface DisplaySettings {
  fontSize: number;
  presenter: boolean;
  setFontSize(size: number): void;
  setPresenter(on: boolean): void;
}

export const MIN_FONT = 11;
export const MAX_FONT = 28;
const STORAGE_KEY = 'protocol-lab.display';

const DisplayContext = createContext<DisplaySettings | null>(null);

/** Keeps display settings in localStorage and on <html> (CSS variable + presenter class). */
export function DisplayProvider({ children }: { children: ReactNode }) {
  const [fontSize, setFontSizeState] = useState(14);
  const [presenter, setPresenter] = useState(false);

  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as { fontSize?: number; presenter?: boolean };
      if (typeof saved.fontSize === 'number') setFontSizeState(saved.fontSize);
      if (typeof saved.presenter === 'boolean') setPresenter(saved.presenter);
    } catch {
      // Corrupt settings: keep the defaults.
    }
  }, []);

  useEffect(() => {
    const root = document.documentElement;
    root.style.setProperty('--lab-font-size', `${presenter ? Math.max(fontSize, 18) : fontSize}px`);
    root.classList.toggle('presenter', presenter);
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ fontSize, presenter }));
  }, [fontSize, presenter]);

  const value = useMemo<DisplaySettings>(
    () => ({
      fontSize: presenter ? Math.max(fontSize, 18) : fontSize,
      presenter,
      setFontSize: (size) => setFontSizeState(Math.min(MAX_FONT, Math.max(MIN_FONT, size))),
      setPresenter,
    }),
    [fontSize, presenter],
  );
  return <DisplayContext.Provider value={value}>{children}</DisplayContext.Provider>;
}

export function useDisplay(): DisplaySettings {
  const value = useContext(DisplayContext);
  if (!value) throw new Error('useDisplay outside DisplayProvider');
  return value;
}
