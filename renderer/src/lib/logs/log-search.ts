/** Searching log lines: case-insensitive matching and the pieces to highlight. */

export interface TextPiece {
  text: string;
  match: boolean;
}

/** Splits `text` around every (case-insensitive) occurrence of `query`. */
export function highlightPieces(text: string, query: string): TextPiece[] {
  if (!query) return [{ text, match: false }];
  // Lower-casing may change the length of some characters; then match case-sensitively so the
  // highlighted ranges stay aligned with the text.
  const folds =
    text.toLowerCase().length === text.length && query.toLowerCase().length === query.length;
  const lower = folds ? text.toLowerCase() : text;
  const needle = folds ? query.toLowerCase() : query;
  const pieces: TextPiece[] = [];
  let from = 0;
  for (;;) {
    const at = lower.indexOf(needle, from);
    if (at === -1) break;
    if (at > from) pieces.push({ text: text.slice(from, at), match: false });
    pieces.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length || pieces.length === 0)
    pieces.push({ text: text.slice(from), match: false });
  return pieces;
}

export function matches(text: string, query: string): boolean {
  return query === '' || text.toLowerCase().includes(query.toLowerCase());
}
