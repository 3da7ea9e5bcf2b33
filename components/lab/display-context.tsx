'use client';

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** Classroom display settings: terminal/app font size and presenter (projector) mode. */
export interface DisplaySettings {
  fontSize: number;
  presenter: boolean;
  setFontSize(size: number): void;
  setPresenter(on: boolean): void;
}

export const MIN_FONT = 12;
export const MAX_FONT = 28;
/** Presenter mode keeps its own size, never below this (the back row of a classroom). */
export const MIN_PRESENTER_FONT = 16;
const DEFAULT_PRESENTER_FONT = 20;

/** The smallest size A− may reach in the given mode. */
export const minFont = (presenter: boolean) => (presenter ? MIN_PRESENTER_FONT : MIN_FONT);
const clamp = (size: number, presenter: boolean) => Math.min(MAX_FONT, Math.max(minFont(presenter), Math.round(size)));
const STORAGE_KEY = 'protocol-lab.display';

const DisplayContext = createContext<DisplaySettings | null>(null);

/** Keeps display settings in localStorage and on <html> (CSS variable + presenter class). */
export function DisplayProvider({ children }: { children: ReactNode }) {
  // Desk and projector sizes are kept apart, so A−/A+ always change what is on screen.
  const [deskSize, setDeskSize] = useState(14);
  const [presenterSize, setPresenterSize] = useState(DEFAULT_PRESENTER_FONT);
  const [presenter, setPresenter] = useState(false);
  // Nothing is saved until the saved settings are read: the defaults of the first render would overwrite them
  // (a page opened while React runs effects twice, or closed before the restored render, lost Presenter mode).
  const [restored, setRestored] = useState(false);

  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as { fontSize?: number; presenterFontSize?: number; presenter?: boolean };
      if (typeof saved.fontSize === 'number') setDeskSize(clamp(saved.fontSize, false));
      if (typeof saved.presenterFontSize === 'number') setPresenterSize(clamp(saved.presenterFontSize, true));
      if (typeof saved.presenter === 'boolean') setPresenter(saved.presenter);
    } catch {
      // Corrupt settings: keep the defaults.
    }
    setRestored(true);
  }, []);

  const fontSize = presenter ? presenterSize : deskSize;
  useEffect(() => {
    if (!restored) return;
    const root = document.documentElement;
    root.style.setProperty('--lab-font-size', `${fontSize}px`);
    root.classList.toggle('presenter', presenter);
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ fontSize: deskSize, presenterFontSize: presenterSize, presenter }));
  }, [restored, fontSize, deskSize, presenterSize, presenter]);

  const value = useMemo<DisplaySettings>(
    () => ({
      fontSize,
      presenter,
      setFontSize: (size) => (presenter ? setPresenterSize(clamp(size, true)) : setDeskSize(clamp(size, false))),
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
