// A real SMTP server for the e-mail tests: Debian's python3-aiosmtpd (test/fixtures/email/smtp_sink.py)
// in a child process, and what it received read back by an independent parser, Python's email
// package (parse_mail.py). Neither shares code with nodemailer, so a message both accept is one a
// real relay and a real mail client would accept too. HTML parts are read by Python's html.parser
// (html_outline.py).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'vitest';

const FIXTURES = resolve('test/fixtures/email');
const PYTHON = '/usr/bin/python3';

export const SMTP_SINK_MISSING =
  'python3-aiosmtpd or openssl is not installed (apt-get install python3-aiosmtpd openssl)';
export const SMTP_SINK_AVAILABLE =
  spawnSync(PYTHON, ['-c', 'import aiosmtpd']).status === 0 && spawnSync('openssl', ['version']).status === 0;

/**
 * `describe` for tests that need the SMTP server: without it they are skipped and say why, except in
 * CI (.ci/run installs it), where its absence fails.
 */
export function describeWithSink(name: string, body: () => void): void {
  if (SMTP_SINK_AVAILABLE) {
    describe(name, body);
    return;
  }
  const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
  if (ci) {
    describe(`${name} (required in CI)`, () => {
      it('has the SMTP server', () => {
        throw new Error(`CI must run the e-mail tests, but ${SMTP_SINK_MISSING}`);
      });
    });
    return;
  }
  console.warn(`e-mail tests: ${SMTP_SINK_MISSING}`);
  describe.skip(`${name} (skipped: ${SMTP_SINK_MISSING})`, body);
}

export interface SinkOptions {
  /** Offer STARTTLS (or implicit TLS) with a certificate for 127.0.0.1 and localhost. */
  tls?: 'starttls' | 'implicit';
  /** Require AUTH with these credentials (aiosmtpd offers it only over TLS). */
  auth?: { user: string; password: string };
  /** `rcpt:451`, `data:451`, `data:hang`... used in order, one per transaction. */
  faults?: string[];
}

export interface Delivered {
  mail_from: string;
  rcpt_tos: string[];
  tls: boolean;
  user: string | null;
  /** The raw message, base64. */
  data: string;
}

export interface SinkEvent {
  event: 'ready' | 'message' | 'refused' | 'sync';
  stage?: string;
  reply?: string;
}

export interface ParsedMail {
  headers: [string, string][];
  defects: string[];
  content_type: string;
  text: string | null;
  html: string | null;
  attachments: {
    filename: string | null;
    content_type: string;
    params: Record<string, string>;
    content: string | null;
  }[];
}

export interface Sink {
  port: number;
  /** The certificate clients must trust (PEM), when TLS is offered. */
  ca?: string;
  delivered: Delivered[];
  /** What the sink reported (the barrier's own `sync` events left out). */
  events: SinkEvent[];
  /** Resolves once every event the sink had before this call is in `delivered` and `events`. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command. */
function certificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'maint-smtp-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  return { cert, key };
}

export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const args = [join(FIXTURES, 'smtp_sink.py')];
  let ca: string | undefined;
  if (options.tls) {
    const { cert, key } = certificate();
    ca = readFileSync(cert, 'utf8');
    args.push('--cert', cert, '--key', key);
    if (options.tls === 'implicit') args.push('--implicit-tls');
  }
  if (options.auth) args.push('--user', options.auth.user, '--password', options.auth.password);
  for (const fault of options.faults ?? []) args.push('--fault', fault);

  const child: ChildProcess = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const delivered: Delivered[] = [];
  const events: SinkEvent[] = [];
  const syncWaiters: (() => void)[] = [];
  const port = await new Promise<number>((resolvePort, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const record = JSON.parse(line) as SinkEvent & Delivered & { port?: number };
      if (record.event === 'sync') {
        syncWaiters.shift()?.();
        return;
      }
      events.push({
        event: record.event,
        ...(record.stage ? { stage: record.stage, reply: record.reply! } : {}),
      });
      if (record.event === 'ready') resolvePort(record.port!);
      if (record.event === 'message') {
        const { mail_from, rcpt_tos, tls, user, data } = record;
        delivered.push({ mail_from, rcpt_tos, tls, user, data });
      }
    });
    child.on('exit', (code) => reject(new Error(`smtp_sink.py exited (${code}): ${stderr}`)));
  });
  // A HELO on a connection of its own: the sink answers it after everything it had to say before.
  const settled = async () => {
    const seen = new Promise<void>((done) => syncWaiters.push(done));
    const socket: Socket =
      options.tls === 'implicit'
        ? connectTls({ host: '127.0.0.1', port, ...(ca ? { ca } : {}), servername: 'localhost' })
        : connectTcp({ host: '127.0.0.1', port });
    let said = '';
    let greeted = false;
    socket.on('data', (chunk) => {
      said += String(chunk);
      if (!greeted && /^220 /m.test(said)) {
        greeted = true;
        socket.write('HELO sync.test\r\n');
      }
    });
    await seen;
    socket.destroy();
  };
  return {
    port,
    ...(ca ? { ca } : {}),
    delivered,
    events,
    settled,
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill();
      }),
  };
}

/** The messages as Python's email package reads them. */
export function parseMails(delivered: readonly Delivered[]): ParsedMail[] {
  const result = spawnSync(PYTHON, [join(FIXTURES, 'parse_mail.py')], {
    input: JSON.stringify(delivered.map((d) => d.data)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`parse_mail.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ParsedMail[];
}

/** Every value of a header (case-insensitive name). */
export function headerValues(mail: ParsedMail, name: string): string[] {
  return mail.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

export function header(mail: ParsedMail, name: string): string | undefined {
  const values = headerValues(mail, name);
  if (values.length > 1) throw new Error(`${name} appears ${values.length} times`);
  return values[0];
}

export interface HtmlOutline {
  tags: { tag: string; attrs: Record<string, string> }[];
  links: { href: string; text: string }[];
  comments: string[];
  title: string;
  /** What a reader sees in the body. */
  text: string;
}

/** HTML parts as Python's html.parser builds them (test/fixtures/email/html_outline.py). */
export function htmlOutlines(htmls: readonly string[]): HtmlOutline[] {
  const result = spawnSync(PYTHON, [join(FIXTURES, 'html_outline.py')], {
    input: JSON.stringify(htmls),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`html_outline.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as HtmlOutline[];
}
