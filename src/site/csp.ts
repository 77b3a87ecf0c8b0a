// The page's Content-Security-Policy: nothing may load or run except the inline stylesheet and
// script whose SHA-256 hashes it names. A hash (not a nonce) keeps the page byte-identical per input.
import { createHash } from 'node:crypto';

/** The CSP source expression for an inline block: 'sha256-<base64>' of its exact text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function contentSecurityPolicy(inline: { styles: string[]; scripts: string[] }): string {
  return [
    "default-src 'none'",
    `style-src ${inline.styles.map(cspHash).join(' ')}`,
    `script-src ${inline.scripts.map(cspHash).join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
