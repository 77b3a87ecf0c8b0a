// Runs an `http:` check: one request with a timeout, only to a destination the policy lets checks reach
// (http-destination.ts), connected to exactly the addresses that were judged. Redirects are reported
// rather than followed (a health URL that moves to another host must not pass silently); a redirect to
// a destination checks may not reach fails the check. A failing answer shows a short, masked excerpt.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckDocument } from '../model/types.ts';
import type { AllowList } from '../net/allow-hosts.ts';
import { excerpt } from '../outbound/redact.ts';
import type { Attempt } from './attempt.ts';
import { vetDestination, type HostResolver, type ResolvedAddress } from './http-destination.ts';
import { maskedText, secretSpans } from './mask.ts';

export type HttpCheck = NonNullable<CheckDocument['http']>;

export interface HttpCheckOptions {
  timeoutMs: number;
  now(): number;
  /** The policy's `checks.allow_hosts`: internal destinations checks may reach. */
  allowList: AllowList;
  resolve: HostResolver;
  /** Secret byte patterns (mask.ts), masked in the body before its excerpt is cut. */
  patterns: readonly Buffer[];
}

/** How much of a failing answer is read, and how much of it, as one line, the report shows. */
const BODY_READ_BYTES = 2048;
const EXCERPT_CHARACTERS = 200;
/** A client name, which some firewalls require; a POST says its body is empty rather than chunked. */
const CHECK_HEADERS = { 'user-agent': 'maint-check' };

export async function runHttpCheck(check: HttpCheck, options: HttpCheckOptions): Promise<Attempt> {
  const method = check.method ?? 'GET';
  const started = options.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const url = new URL(check.url);
    const destination = await untilAborted(vetDestination(url, options.allowList, options.resolve), signal);
    if (!destination.allowed)
      return { status: 'failed', detail: `${method} ${check.url}: ${destination.reason}` };
    const response = await send(url, method, destination.addresses, signal);
    const tookMs = options.now() - started;
    const status = response.statusCode ?? 0;
    const location = status >= 300 && status < 400 ? response.headers.location : undefined;
    const refused = location ? await refusedRedirect(url, location, options, signal) : undefined;
    const expected =
      check.expect_status !== undefined ? status === check.expect_status : status >= 200 && status < 300;
    const passed = expected && !refused;
    const redirect = location
      ? ` (redirect to ${location}, not followed${refused ? `; ${refused}` : ''})`
      : '';
    const detail =
      `HTTP ${status}${redirect} in ${tookMs} ms` +
      (expected ? '' : `, expected ${check.expect_status ?? '2xx'}`);
    if (passed) {
      response.destroy();
      return { status: 'passed', detail, httpStatus: status };
    }
    const output = bodyExcerpt(await readSome(response, BODY_READ_BYTES), options.patterns);
    return { status: 'failed', detail, httpStatus: status, ...(output ? { output } : {}) };
  } catch (error) {
    if (signal.aborted) return { status: 'timed-out', detail: `no complete answer from ${check.url}` };
    return { status: 'failed', detail: `${method} ${check.url} failed: ${describeError(error)}` };
  }
}

/** One request, connected only to the judged addresses: the `lookup` answers with them, never DNS. */
function send(
  url: URL,
  method: string,
  addresses: readonly ResolvedAddress[],
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // No shared agent: a pooled connection would not go through this lookup.
    const outgoing = request(
      url,
      {
        method,
        signal,
        agent: false,
        lookup: pinnedLookup(addresses),
        headers: method === 'POST' ? { ...CHECK_HEADERS, 'content-length': '0' } : CHECK_HEADERS,
      },
      resolve,
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A `lookup` for net.connect that knows only these addresses (net asks for all of them when it races families). */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = family ? addresses.filter((a) => a.family === family) : [...addresses];
    const first = usable[0];
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(`no IPv${family} address of ${hostname} was checked`);
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** Why a redirect's target is a destination checks may not reach (judged like the check's own URL). */
async function refusedRedirect(
  from: URL,
  location: string,
  options: HttpCheckOptions,
  signal: AbortSignal,
): Promise<string | undefined> {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  const verdict = await untilAborted(
    vetDestination(target, options.allowList, options.resolve),
    signal,
  ).catch((error: unknown) => {
    if (signal.aborted) throw error;
    return undefined; // a target that does not resolve reaches nothing: the status says the rest
  });
  return verdict && !verdict.allowed ? `its target is ${verdict.reason}` : undefined;
}

async function readSome(response: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= limit) break;
    }
  } catch {
    // The timeout cut the body short: the status already says what failed; show what arrived.
  } finally {
    response.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/** The start of a body as one short line, secrets masked before it is cut (no half secret at the cut). */
function bodyExcerpt(body: Buffer, patterns: readonly Buffer[]): string {
  return excerpt(maskedText(body, secretSpans(body, patterns)), [], EXCERPT_CHARACTERS);
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Node's network errors carry the useful part (ECONNREFUSED, ENOTFOUND) in `code`. */
function describeError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}${message && !message.startsWith(code) ? ` (${message})` : ''}` : message;
}
