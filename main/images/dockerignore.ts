/**
 * A build context's `.dockerignore`, read the way `docker build` reads it, so a custom pool's
 * build sends (and hashes) what the user's own `docker build` would: one pattern a line, `#`
 * comments and blank lines skipped, paths relative to the context (a leading `/` means the
 * same), `*` and `?` within one path segment, `[…]` classes, `**` across segments, `\` escaping,
 * and `!pattern` taking a path back; the last pattern that matches decides. A pattern that
 * matches a folder leaves out everything inside it.
 */
import path from 'node:path';

interface Rule {
  regex: RegExp;
  exception: boolean;
}

export interface DockerIgnore {
  /** Whether a path inside the context (`/` separators, no leading `./`) is left out. */
  excludes(relative: string): boolean;
  /**
   * Whether a left-out folder can be skipped without looking inside: no `!` pattern could take
   * anything under it back.
   */
  canSkip(folder: string): boolean;
}

function escapeRegex(char: string): string {
  return /[.+^${}()|[\]\\*?]/.test(char) ? `\\${char}` : char;
}

/** A cleaned pattern as an anchored regular expression over `/`-separated paths. */
function patternRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (char === '?') out += '[^/]';
    else if (char === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]!);
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      let negate = '';
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = '^';
        body = body.slice(1);
      }
      let cls = '';
      for (let j = 0; j < body.length; j++) {
        const c = body[j]!;
        if (c === '\\' && j + 1 < body.length) cls += escapeRegex(body[++j]!);
        else cls += c === '-' ? '-' : escapeRegex(c);
      }
      // A negated class never matches the separator, as in docker's (Go's) patterns.
      out += `[${negate}${cls}${negate ? '/' : ''}]`;
      i = end;
    } else out += escapeRegex(char);
  }
  return new RegExp(`^${out}$`);
}

/** Cleans a pattern as docker does: trimmed, no leading `/` or `./`, no trailing `/`. */
function clean(pattern: string): string {
  return path.posix.normalize(pattern.trim()).replace(/^\/+/, '').replace(/\/+$/, '');
}

export function parseDockerIgnore(text: string): DockerIgnore {
  const rules: Rule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const exception = trimmed.startsWith('!');
    const pattern = clean(exception ? trimmed.slice(1) : trimmed);
    if (pattern === '' || pattern === '.') continue;
    rules.push({ regex: patternRegex(pattern), exception });
  }
  /** The path itself or one of the folders holding it matches. */
  const matches = (rule: Rule, relative: string) => {
    const parts = relative.split('/');
    for (let n = parts.length; n > 0; n--) {
      if (rule.regex.test(parts.slice(0, n).join('/'))) return true;
    }
    return false;
  };
  const hasExceptions = rules.some((r) => r.exception);
  return {
    excludes(relative) {
      let excluded = false;
      for (const rule of rules) {
        if (excluded === rule.exception && matches(rule, relative)) excluded = !rule.exception;
      }
      return excluded;
    },
    canSkip() {
      return !hasExceptions;
    },
  };
}

/** No `.dockerignore`: nothing is left out. */
export const NOTHING_IGNORED: DockerIgnore = { excludes: () => false, canSkip: () => true };
