// Reads files published on GitHub Pages sites (a member's schedule.json, a hub's, the hub's own state
// read back). Pages is not the API: plain HTTP(S) with conditional requests (If-None-Match and
// If-Modified-Since, answered 304 when nothing changed), a timeout per attempt, retries with backoff
// for 5xx answers and network errors, a size cap, and no credentials ever sent. `fetch` is injectable.

export type PageAnswer =
  | { status: 'ok'; text: string; etag: string | null; lastModified: string | null }
  | { status: 'unchanged' }
  /** 404 or 410: nothing is published there. */
  | { status: 'missing'; httpStatus: number }
  | { status: 'failed'; reason: string };

export interface PageValidators {
  etag: string | null;
  lastModified: string | null;
}

export interface PagesReader {
  /** The file at `url`; with validators from an earlier answer, `unchanged` when it has not changed. */
  get(url: string, cached?: PageValidators): Promise<PageAnswer>;
  /** HTTP requests made so far (retries included). */
  readonly requests: number;
}

export interface PagesOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Further attempts after a 5xx or a network error (default 2). */
  retries?: number;
  /** The first wait between attempts; doubled each time (default 1 s). */
  retryBaseMs?: number;
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) return undefined;
  if (!response.body) return '';
  // Decoded as it arrives: a large file is never held as bytes and as text at once.
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Leaving the loop cancels the rest of the download.
    if (size > maxBytes) return undefined;
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

export function createPagesReader(options: PagesOptions = {}): PagesReader {
  const fetcher = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 2;
  const base = options.retryBaseMs ?? 1000;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let requests = 0;

  async function attempt(url: string, headers: Record<string, string>): Promise<PageAnswer | 'retry'> {
    requests++;
    let response: Response;
    try {
      response = await fetcher(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      return 'retry';
    }
    if (response.status === 304) {
      await response.body?.cancel();
      return { status: 'unchanged' };
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return { status: 'missing', httpStatus: response.status };
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      return 'retry';
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return { status: 'failed', reason: `${url} answered HTTP ${response.status}` };
    }
    const text = await readCapped(response, maxBytes);
    if (text === undefined) return { status: 'failed', reason: `${url} is over ${maxBytes} bytes` };
    return {
      status: 'ok',
      text,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
    };
  }

  return {
    get requests() {
      return requests;
    },
    async get(url, cached) {
      const parsed = URL.canParse(url) ? new URL(url) : undefined;
      if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || parsed.username || parsed.password)
        return { status: 'failed', reason: `${url} is not an http(s) address` };
      const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5' };
      if (cached?.etag) headers['if-none-match'] = cached.etag;
      if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
      for (let i = 0; ; i++) {
        const answer = await attempt(url, headers);
        if (answer !== 'retry') return answer;
        if (i >= retries)
          return { status: 'failed', reason: `${url} did not answer (server error or network)` };
        await new Promise((resolve) => setTimeout(resolve, base * 2 ** i));
      }
    },
  };
}
