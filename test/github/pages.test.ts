// Reading Pages sites: validators sent back, 304 as unchanged, 404 as missing, 5xx and network errors
// retried a bounded number of times, an oversized file refused, only http(s) addresses asked.
import { describe, expect, it } from 'vitest';
import { createPagesReader } from '../../src/github/pages.ts';

type Call = { url: string; headers: Record<string, string> };

function site(answers: (Response | Error)[]): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: ((url: string, init?: RequestInit) => {
      calls.push({ url, headers: { ...(init?.headers as Record<string, string>) } });
      const next = answers.shift() ?? new Error('no more answers');
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    }) as typeof fetch,
  };
}

describe('createPagesReader', () => {
  it('sends the validators it was given and reads 304 as unchanged', async () => {
    const fake = site([new Response(null, { status: 304 })]);
    const reader = createPagesReader({ fetch: fake.fetch, retries: 0 });
    const answer = await reader.get('https://acme.github.io/a/schedule.json', {
      etag: '"abc"',
      lastModified: 'Mon, 01 Mar 2027 00:00:00 GMT',
    });
    expect(answer).toEqual({ status: 'unchanged' });
    expect(fake.calls[0]!.headers).toMatchObject({
      'if-none-match': '"abc"',
      'if-modified-since': 'Mon, 01 Mar 2027 00:00:00 GMT',
    });
    expect(Object.keys(fake.calls[0]!.headers)).not.toContain('authorization');
  });

  it('returns the text with its new validators', async () => {
    const fake = site([
      new Response('{"version":1}', { status: 200, headers: { etag: '"x"', 'last-modified': 'then' } }),
    ]);
    expect(
      await createPagesReader({ fetch: fake.fetch }).get('https://acme.github.io/a/schedule.json'),
    ).toEqual({
      status: 'ok',
      text: '{"version":1}',
      etag: '"x"',
      lastModified: 'then',
    });
  });

  it('retries server errors and network failures, then gives up saying so', async () => {
    const fake = site([
      new Response('', { status: 502 }),
      new Error('ECONNRESET'),
      new Response('ok', { status: 200 }),
    ]);
    const reader = createPagesReader({ fetch: fake.fetch, retries: 2, retryBaseMs: 1 });
    expect(await reader.get('https://acme.github.io/a/x')).toMatchObject({ status: 'ok', text: 'ok' });
    expect(reader.requests).toBe(3);
    const down = site([new Response('', { status: 503 }), new Response('', { status: 503 })]);
    expect(
      await createPagesReader({ fetch: down.fetch, retries: 1, retryBaseMs: 1 }).get('https://x.example/y'),
    ).toEqual({
      status: 'failed',
      reason: 'https://x.example/y did not answer (server error or network)',
    });
  });

  it('reads 404 as nothing published, and refuses what is too big or not http(s)', async () => {
    expect(
      await createPagesReader({ fetch: site([new Response('', { status: 404 })]).fetch }).get(
        'https://x.example/a',
      ),
    ).toEqual({
      status: 'missing',
      httpStatus: 404,
    });
    const big = site([new Response('x'.repeat(2000), { status: 200 })]);
    expect(await createPagesReader({ fetch: big.fetch, maxBytes: 1000 }).get('https://x.example/a')).toEqual({
      status: 'failed',
      reason: 'https://x.example/a is over 1000 bytes',
    });
    const never = site([]);
    for (const url of ['file:///etc/passwd', 'https://user:pw@x.example/a', 'not a url'])
      expect((await createPagesReader({ fetch: never.fetch }).get(url)).status).toBe('failed');
    expect(never.calls).toEqual([]);
  });
});
