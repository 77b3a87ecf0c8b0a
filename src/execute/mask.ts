// Masks secret values in captured bytes: each secret as written and its base64 forms at every byte
// alignment (as the Actions runner's own masker does), found as spans so output can be cut without
// leaving half a secret at the cut.
import { MASK } from '../outbound/redact.ts';

/** Shorter values would mask ordinary words and numbers all over the output. */
export const MIN_SECRET_LENGTH = 4;

/** A half-open byte range [start, end). */
export type Span = readonly [number, number];

/** The byte strings to mask for these secrets, longest first. */
export function secretPatterns(secrets: readonly string[]): Buffer[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    for (const form of base64Forms(Buffer.from(secret))) {
      if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
    }
  }
  return [...forms].map((form) => Buffer.from(form)).sort((a, b) => b.length - a.length);
}

/**
 * The base64 characters that encode only the secret's bytes when it starts at offset 0, 1 or 2 of a
 * 3-byte group: whatever surrounds it in a larger encoded text, these characters appear unchanged.
 */
function base64Forms(bytes: Buffer): string[] {
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    // Character j carries bits [6j, 6j + 6); keep those wholly inside the secret's bits.
    const first = Math.ceil((8 * shift) / 6);
    const end = Math.floor((8 * (shift + bytes.length)) / 6);
    return encoded.slice(first, end);
  });
}

/** Where the patterns occur in the data, overlapping occurrences merged, in order. */
export function secretSpans(data: Buffer, patterns: readonly Buffer[]): Span[] {
  const found: [number, number][] = [];
  for (const pattern of patterns) {
    for (let at = data.indexOf(pattern); at !== -1; at = data.indexOf(pattern, at + 1)) {
      found.push([at, at + pattern.length]);
    }
  }
  found.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of found) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/** The bytes [from, to) as text, each span replaced by the mask; a span crossing an edge is masked whole. */
export function maskedText(data: Buffer, spans: readonly Span[], from = 0, to = data.length): string {
  const parts: Buffer[] = [];
  const mask = Buffer.from(MASK);
  let at = from;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start >= to) break;
    if (start > at) parts.push(data.subarray(at, start));
    parts.push(mask);
    at = end;
  }
  if (at < to) parts.push(data.subarray(at, to));
  return Buffer.concat(parts).toString('utf8');
}

/** A short text (an error message, a detail line) with the secrets masked. */
export function maskSecrets(text: string, patterns: readonly Buffer[]): string {
  if (patterns.length === 0) return text;
  const data = Buffer.from(text);
  return maskedText(data, secretSpans(data, patterns));
}
