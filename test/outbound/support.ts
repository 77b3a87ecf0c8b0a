// Test support for outbound calls: a local HTTP server that records what it receives and answers
// as told, a fake clock whose sleeps only record and advance time, and fixture loading.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterEach } from 'vitest';
import type { Clock } from '../../src/outbound/http.ts';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw bytes of the body, as sent. */
  raw: Buffer;
  body: string;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answer (for timeouts). */
  | 'hang'
  /** Drop the connection without an answer. */
  | 'reset';

export interface LocalServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function localServer(
  answer: (request: Received) => Reply | Promise<Reply>,
): Promise<LocalServer> {
  const received: Received[] = [];
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw,
        body: raw.toString('utf8'),
      };
      received.push(request);
      void Promise.resolve(answer(request)).then((reply) => {
        if (reply === 'hang') return;
        if (reply === 'reset') {
          req.socket.destroy();
          return;
        }
        const body =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        const type = typeof reply.body === 'object' ? { 'Content-Type': 'application/json' } : {};
        res.writeHead(reply.status, { ...type, ...reply.headers });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts local servers for one test file; each is closed after the test that started it. */
export function localServers(): (
  answer: (request: Received) => Reply | Promise<Reply>,
) => Promise<LocalServer> {
  const open: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (answer) => {
    const server = await localServer(answer);
    open.push(server);
    return server;
  };
}

/** A clock that starts at `start`; sleeping records the wait and moves time on at once. */
export function fakeClock(start = Date.parse('2027-01-17T00:00:00Z')): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/outbound/${name}`, import.meta.url), 'utf8');
}

export function jsonFixture<T = unknown>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** A logger that keeps its lines. */
export function memoryLogger(): { lines: string[]; info(m: string): void; warn(m: string): void } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`) };
}

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** A checker for a JSON Schema fixture: the list of problems with a body, empty when it conforms. */
export function schemaCheck(name: string): (body: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(jsonFixture<object>(name));
  return (body) => {
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };
}
