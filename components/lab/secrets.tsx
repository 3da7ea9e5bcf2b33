'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useDisplay } from './display-context';

/**
 * The projector is what the whole class sees: in Presenter mode the pages print the browser's
 * password (and AUTH PLAIN's base64 of it) as dots wherever they show it as text — the login beside
 * a console, recipes, lesson steps. Show reveals them until Presenter mode is left; Copy always copies
 * the real text. Terminals are left alone: a password crossing the wire in clear is what they teach.
 */
interface Secrets {
  /** Presenter mode is on and the teacher has not asked to show them. */
  hidden: boolean;
  setShown(shown: boolean): void;
  /** `text` with every secret word dotted out while hidden. */
  conceal(text: string): string;
  register(words: readonly string[]): () => void;
}

export const DOTS = '••••••••';
/** Shorter words are no password of the lab's (they would dot out ordinary text). */
const MIN_SECRET = 6;

const SecretsContext = createContext<Secrets | null>(null);

export function SecretsProvider({ children }: { children: ReactNode }) {
  const { presenter } = useDisplay();
  const [shown, setShown] = useState(false);
  const [words, setWords] = useState<readonly string[]>([]);
  // Leaving Presenter mode (or entering it again) hides them again.
  useEffect(() => setShown(false), [presenter]);
  const register = useCallback((added: readonly string[]) => {
    const kept = added.filter((w) => w.length >= MIN_SECRET);
    setWords((now) => [...now, ...kept]);
    return () =>
      setWords((now) => {
        const left = [...now];
        for (const word of kept) left.splice(left.indexOf(word), 1);
        return left;
      });
  }, []);
  const hidden = presenter && !shown;
  const value = useMemo<Secrets>(
    () => ({
      hidden,
      setShown,
      register,
      conceal: (text) => (hidden ? words.reduce((out, word) => out.replaceAll(word, DOTS), text) : text),
    }),
    [hidden, register, words],
  );
  return <SecretsContext.Provider value={value}>{children}</SecretsContext.Provider>;
}

const NO_SECRETS: Secrets = { hidden: false, setShown: () => {}, conceal: (text) => text, register: () => () => {} };

/** The page's secrets: whether they are hidden now, and `conceal` for text that may hold one. */
export function useSecrets(): Secrets {
  return useContext(SecretsContext) ?? NO_SECRETS;
}

/** Marks `password` (and AUTH PLAIN's base64 of `user` and it, RFC 4616 §2) as secret while the calling page shows them. */
export function useSecretLogin(user: string | undefined, password: string | undefined): void {
  const { register } = useSecrets();
  useEffect(() => {
    if (!user || !password) return;
    const authPlain = btoa(String.fromCharCode(...new TextEncoder().encode(`\0${user}\0${password}`)));
    return register([password, authPlain]);
  }, [register, user, password]);
}
