// Keeps secrets out of logs and error messages: credential headers are masked by name, and every
// known secret value (tokens, keys, webhook URLs) is replaced wherever it appears in text.

export const MASK = '***';

const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'dd-api-key',
  'dd-application-key',
  'x-api-key',
]);

export interface LoggableCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The text with each secret, raw or URL-encoded, replaced by ***. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  const values = secrets.flatMap((s) => (s ? [s, encodeURIComponent(s)] : []));
  // Longest first, so a secret containing another is replaced whole.
  for (const value of [...new Set(values)].sort((a, b) => b.length - a.length)) {
    out = out.split(value).join(MASK);
  }
  return out;
}

/** A call as it may be logged: credential headers masked, secrets scrubbed from URL, headers and body. */
export function redact(call: LoggableCall, secrets: readonly string[] = []): LoggableCall {
  const headers = Object.fromEntries(
    Object.entries(call.headers).map(([name, value]) => [
      name,
      CREDENTIAL_HEADERS.has(name.toLowerCase()) ? MASK : scrub(value, secrets),
    ]),
  );
  return {
    method: call.method,
    url: scrub(call.url, secrets),
    headers,
    ...(call.body !== undefined ? { body: scrub(call.body, secrets) } : {}),
  };
}

/** The start of an answer for an error message: one line, scrubbed, at most `max` characters. */
export function excerpt(text: string, secrets: readonly string[], max = 200): string {
  const line = scrub(text, secrets).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
