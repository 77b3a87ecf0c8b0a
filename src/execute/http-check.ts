// Runs an `http:` check: one request with a timeout, redirects reported rather than followed (a health
// URL that moves to another host must not pass silently), status and duration in the result.
import type { CheckDocument } from '../model/types.ts';
import type { Attempt } from './attempt.ts';

export type HttpCheck = NonNullable<CheckDocument['http']>;

export interface HttpCheckOptions {
  timeoutMs: number;
  fetch: typeof fetch;
  now(): number;
}

/** Enough of a failing answer's body to say why, without reading a large one. */
const BODY_EXCERPT_BYTES = 2048;

export async function runHttpCheck(check: HttpCheck, options: HttpCheckOptions): Promise<Attempt> {
  const method = check.method ?? 'GET';
  const started = options.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await options.fetch(check.url, { method, redirect: 'manual', signal });
    const tookMs = options.now() - started;
    const status = response.status;
    const passed =
      check.expect_status !== undefined ? status === check.expect_status : status >= 200 && status < 300;
    const location = status >= 300 && status < 400 ? response.headers.get('location') : null;
    const detail =
      `HTTP ${status}${location ? ` (redirect to ${location}, not followed)` : ''} in ${tookMs} ms` +
      (passed ? '' : `, expected ${check.expect_status ?? '2xx'}`);
    if (passed) {
      await response.body?.cancel();
      return { status: 'passed', detail, httpStatus: status };
    }
    const output = await bodyExcerpt(response);
    return { status: 'failed', detail, httpStatus: status, ...(output ? { output } : {}) };
  } catch (error) {
    if (signal.aborted) return { status: 'timed-out', detail: `no complete answer from ${check.url}` };
    return { status: 'failed', detail: `${method} ${check.url} failed: ${describeFetchError(error)}` };
  }
}

async function bodyExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // The timeout cut the body short: the status already says what failed; show what arrived.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const body = Buffer.concat(chunks);
  const text = body.subarray(0, BODY_EXCERPT_BYTES).toString('utf8');
  return body.length > BODY_EXCERPT_BYTES
    ? `${text}\n[... body cut after ${BODY_EXCERPT_BYTES} bytes ...]`
    : text;
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
