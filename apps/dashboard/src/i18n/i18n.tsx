import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey } from './dictionary';
import type { Lang } from './errors';

export type { Lang } from './errors';
export type Translate = (
  key: MessageKey,
  values?: Readonly<Record<string, string | number>>,
) => string;

interface I18n {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
  readonly t: Translate;
}

const LANG_KEY = 'hz-ledger.lang';
const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
}

export function I18nProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  }, []);
  const t = useCallback<Translate>(
    (key, values) => {
      const template: string = (lang === 'zh' ? zh : en)[key];
      return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
        values && name in values ? String(values[name]) : whole,
      );
    },
    [lang],
  );
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
