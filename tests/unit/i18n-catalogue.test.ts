import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/lib/i18n/en';
import { ja } from '../../renderer/src/lib/i18n/ja';
import { interpolate, lookup } from '../../renderer/src/lib/i18n/catalogue';

function leaves(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of leaves(value, full)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const english = leaves(en);
  const japanese = leaves(ja);

  it('Japanese has exactly the English keys, none empty', () => {
    expect([...japanese.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of japanese) expect(text.trim(), key).not.toBe('');
  });

  it('every translation keeps the placeholders of its English source', () => {
    for (const [key, text] of english)
      expect(placeholders(japanese.get(key)!), key).toEqual(placeholders(text));
  });

  it('Japanese strings are actually translated (not English copies), brand names aside', () => {
    const same = [...english].filter(
      ([key, text]) => japanese.get(key) === text && /[a-z]{3}/.test(text),
    );
    expect(same.map(([key]) => key).filter((key) => !key.startsWith('app.name'))).toEqual([]);
  });

  it('looks up nested keys and interpolates parameters', () => {
    expect(lookup(ja, 'nav.dashboard')).toBe('ダッシュボード');
    expect(lookup(en, 'nav.nope')).toBeUndefined();
    expect(interpolate('Workers: {count}', { count: 3 })).toBe('Workers: 3');
    expect(interpolate('{missing} stays', {})).toBe('{missing} stays');
  });
});

// UI text goes through the catalogue: no words written directly in component markup.
const TEXT_ATTRIBUTES = new Set([
  'title',
  'placeholder',
  'aria-label',
  'alt',
  'label',
  'aria-description',
]);
const WORDS = /[A-Za-z]{2,}|[\u3040-\u30ff\u4e00-\u9faf]/;

function svelteFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return svelteFiles(full);
    return entry.name.endsWith('.svelte') ? [full] : [];
  });
}

function literalTexts(node: unknown, found: string[] = []): string[] {
  if (!node || typeof node !== 'object') return found;
  const n = node as { type?: string; data?: string; name?: string; value?: unknown };
  if (n.type === 'Text' && typeof n.data === 'string' && WORDS.test(n.data))
    found.push(n.data.trim());
  if (n.type === 'Attribute') {
    // Only attributes a person reads (title, placeholder, aria-label…) must be translated.
    if (n.name && TEXT_ATTRIBUTES.has(n.name) && Array.isArray(n.value)) {
      for (const part of n.value as { type: string; data?: string }[]) {
        if (part.type === 'Text' && part.data && WORDS.test(part.data))
          found.push(`${n.name}="${part.data}"`);
      }
    }
    return found;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'instance' || key === 'module' || key === 'css') continue;
    if (Array.isArray(value)) value.forEach((v) => literalTexts(v, found));
    else if (value && typeof value === 'object') literalTexts(value, found);
  }
  return found;
}

describe('components', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'renderer', 'src');
  const files = svelteFiles(root);

  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [path.relative(root, f), f]))(
    '%s has no literal UI text',
    (_name, file) => {
      const ast = parse(fs.readFileSync(file, 'utf8'), { modern: true });
      expect(literalTexts(ast.fragment)).toEqual([]);
    },
  );
});
