/**
 * A catalogue section: the English source and its Japanese translation side by side, so a page's
 * strings are edited in one place. The Japanese half must have exactly the English keys.
 */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export interface Section<T> {
  en: T;
  ja: Widen<T>;
}

export function section<const T>(en: T, ja: Widen<T>): Section<T> {
  return { en, ja };
}
