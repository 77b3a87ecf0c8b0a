// The e-mail adapter: sends an OutboundMail over SMTP with nodemailer, to the relay the
// MAINT_SMTP_URL secret names (`smtps://user:password@host:465` or `smtp://...:587`; credentials over
// `smtp://` require STARTTLS). Every phase has a timeout; an attempt is repeated only when the relay
// cannot have taken the message (no connection, no greeting, a 4xx refusal of the envelope or of the
// data), never after a failure that may have come once the message was sent. The secret never
// appears in a log or an error.
// The mailer and the SMTP transport alone: the package's root would also bundle its other transports.
import Mail from 'nodemailer/lib/mailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { CREDENTIAL_NAMES } from './credentials.ts';
import { OutboundError, type OutboundErrorKind } from './errors.ts';
import { NOT_SENT, systemClock, type Clock, type OutboundLogger } from './http.ts';
import { mailProblem, type OutboundMail } from './mail.ts';
import { scrub } from './redact.ts';
import { backoffDelay, type RetryPolicy } from './retry.ts';

export interface MailTimeouts {
  /** Until the TCP (or TLS) connection is open. */
  connectMs: number;
  /** Until the relay's greeting, and each step of STARTTLS. */
  greetingMs: number;
  /** The longest silence of the relay once connected. */
  socketMs: number;
  /** One attempt in all, the message included. */
  attemptMs: number;
}

export const DEFAULT_MAIL_TIMEOUTS: MailTimeouts = {
  connectMs: 10_000,
  greetingMs: 10_000,
  socketMs: 30_000,
  attemptMs: 60_000,
};

export const DEFAULT_MAIL_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 2_000,
  maxDelayMs: 15_000,
  attemptTimeoutMs: DEFAULT_MAIL_TIMEOUTS.attemptMs,
  totalMs: 120_000,
};

export interface MailOptions {
  /** Certificates to trust besides Node's (PEM): a test relay's. A private CA: NODE_EXTRA_CA_CERTS. */
  ca?: string;
  timeouts?: Partial<MailTimeouts>;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  random?: () => number;
  logger?: OutboundLogger;
}

export interface MailSent {
  messageId: string;
  /** Recipients the relay accepted, and those it refused (the message went to the others). */
  accepted: string[];
  rejected: string[];
  attempts: number;
}

export interface Mailer {
  send(mail: OutboundMail): Promise<MailSent>;
}

export const SMTP_SECRET = CREDENTIAL_NAMES.email.smtpUrl;

type Connection = SMTPTransport.Options;

/** The relay's connection from its URL; the reason (never the URL, which holds the password) if unusable. */
export function smtpConnection(
  url: string,
  timeouts: MailTimeouts = DEFAULT_MAIL_TIMEOUTS,
): { ok: true; connection: Connection } | { ok: false; reason: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      ok: false,
      reason: `${SMTP_SECRET} is not a URL such as smtps://user:password@smtp.example.com`,
    };
  }
  const secure = parsed.protocol === 'smtps:';
  if (!secure && parsed.protocol !== 'smtp:')
    return { ok: false, reason: `${SMTP_SECRET} must start with smtps:// or smtp://` };
  if (!parsed.hostname) return { ok: false, reason: `${SMTP_SECRET} names no host` };
  if (parsed.search || parsed.hash || (parsed.pathname !== '' && parsed.pathname !== '/'))
    return { ok: false, reason: `${SMTP_SECRET} takes no path or query: smtps://user:password@host:port` };
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(parsed.username);
    pass = decodeURIComponent(parsed.password);
  } catch {
    return { ok: false, reason: `${SMTP_SECRET} has a user name or password that is not URL-encoded` };
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    ok: true,
    connection: {
      host,
      port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
      secure,
      // Credentials never cross the network in the clear: over smtp:// the relay must offer STARTTLS.
      ...(user || pass ? { auth: { user, pass }, requireTLS: !secure } : {}),
      tls: { minVersion: 'TLSv1.2' },
      connectionTimeout: timeouts.connectMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
      dnsTimeout: timeouts.connectMs,
      // The message is built here, with its content inline: nodemailer reads no file and fetches no URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    },
  };
}

interface SmtpError {
  code?: string;
  originalCode?: string;
  timeoutType?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/** Connection phases in which the relay has not been given the message yet. */
const BEFORE_THE_MESSAGE = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

/**
 * Whether another attempt cannot deliver the message twice: it never reached the relay (no DNS, no
 * connection, no greeting, a TLS upgrade that timed out), or the relay refused it for now with a 4xx
 * reply, to the envelope or to the message itself (RFC 5321: not accepted). A connection lost or a
 * timeout once the message was on its way may follow a delivery: that is never retried.
 */
export function mailRetryable(error: SmtpError): boolean {
  if (error.code === 'EDNS') return true;
  if (error.originalCode && NOT_SENT.has(error.originalCode)) return true;
  if (error.code === 'ETIMEDOUT' && error.timeoutType && BEFORE_THE_MESSAGE.has(error.timeoutType))
    return true;
  const transient = error.responseCode !== undefined && error.responseCode >= 400 && error.responseCode < 500;
  return transient && (error.code === 'EENVELOPE' || error.code === 'EMESSAGE');
}

function errorKind(error: SmtpError): OutboundErrorKind {
  switch (error.code) {
    case 'EAUTH':
    case 'ENOAUTH':
    case 'ETLS':
      return 'configuration';
    case 'ETIMEDOUT':
    case 'EABORT':
      return 'timeout';
    case 'EENVELOPE':
    case 'EMESSAGE':
    case 'EPROTOCOL':
      return 'refused';
    default:
      return 'network';
  }
}

function describe(error: SmtpError): string {
  const code = error.code ?? 'error';
  if (code === 'EAUTH') return `the relay refused the credentials of ${SMTP_SECRET} (${error.message ?? ''})`;
  return `${code}${error.command ? ` at ${error.command}` : ''}: ${error.message ?? 'failed'}`;
}

/** The port's e-mail side: `url` is MAINT_SMTP_URL (undefined when the secret is not set). */
export function createMailer(url: string | undefined, options: MailOptions = {}): Mailer {
  const timeouts = { ...DEFAULT_MAIL_TIMEOUTS, ...options.timeouts };
  const policy = { ...DEFAULT_MAIL_RETRY, attemptTimeoutMs: timeouts.attemptMs, ...options.retry };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const fail = (kind: OutboundErrorKind, reason: string, attempts = 0) =>
    new OutboundError('email', 'send', kind, reason, { attempts });

  return {
    async send(mail) {
      if (!url) throw fail('configuration', `the secret ${SMTP_SECRET} is not set; nothing was sent`);
      const problem = mailProblem(mail);
      if (problem) throw fail('configuration', `not sent: ${problem}`);
      const parsed = smtpConnection(url, timeouts);
      if (!parsed.ok) throw fail('configuration', `${parsed.reason}; nothing was sent`);
      const { connection } = parsed;
      const secrets = [url, connection.auth?.pass ?? ''].filter((s) => s.length >= 4);
      const settings = {
        ...connection,
        ...(options.ca ? { tls: { ...connection.tls, ca: options.ca } } : {}),
      };
      const transport = new Mail(new SMTPTransport(settings), settings);
      const deadline = clock.now() + policy.totalMs;
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            const info = await transport.sendMail({
              from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
              to: mail.to,
              cc: mail.cc,
              subject: mail.subject,
              text: mail.text,
              html: mail.html,
              messageId: mail.messageId,
              ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
              ...(mail.references?.length ? { references: mail.references } : {}),
              date: new Date(mail.date),
              // RFC 3834: no out-of-office or other automatic answer.
              headers: { 'Auto-Submitted': 'auto-generated' },
              attachments: mail.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: a.content,
              })),
              signal: AbortSignal.timeout(
                Math.max(1, Math.min(policy.attemptTimeoutMs, deadline - clock.now())),
              ),
            });
            return {
              messageId: mail.messageId,
              accepted: (info.accepted ?? []).map(String),
              rejected: (info.rejected ?? []).map(String),
              attempts: attempt,
            };
          } catch (caught) {
            const error = caught as SmtpError;
            const reason = scrub(describe(error), secrets);
            const retryable = mailRetryable(error);
            if (!retryable) {
              const kind = errorKind(error);
              const unsure = kind === 'network' || kind === 'timeout';
              const why = unsure ? '; not retried, as the relay may have taken the message' : '';
              throw fail(kind, `${reason}${why}`, attempt);
            }
            const wait = backoffDelay(attempt, policy, random);
            if (attempt >= policy.maxAttempts || wait >= deadline - clock.now())
              throw fail(errorKind(error), reason, attempt);
            options.logger?.warn(
              `email send: ${reason}; retrying in ${wait} ms (attempt ${attempt + 1} of ${policy.maxAttempts})`,
            );
            await clock.sleep(wait);
          }
        }
      } finally {
        transport.close();
      }
    },
  };
}
