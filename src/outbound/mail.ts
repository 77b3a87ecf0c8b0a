// One e-mail as the pure side describes it: sender, recipients, subject, the plain-text and HTML
// parts, the threading headers and the attachments. Like an OutboundRequest it holds no secret (the
// relay and its credentials are the adapter's), so it can be logged and compared in tests. Every
// header value is checked here, whoever built the message: no line break or control character can
// reach a header, and every address is one the schemas accept.
import { HEADER_CONTROLS, isEmailAddress, type Mailbox } from '../model/mailbox.ts';

export interface MailAttachment {
  filename: string;
  /** With its parameters: `text/calendar; charset=utf-8; method=PUBLISH`. */
  contentType: string;
  content: string;
}

export interface OutboundMail {
  from: Mailbox;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  /** `<id@domain>`, angle brackets included; so are the threading headers'. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /** The Date header (epoch ms): the tick's time, not the relay's. */
  date: number;
  attachments: MailAttachment[];
  /** One line for logs: `announcement of deploy to 2 recipient(s)`. */
  summary: string;
}

/** Anything that could end a header line or hide in one. */
const HEADER_BREAKING = new RegExp(`[${HEADER_CONTROLS}]`);
/** `<left@right>`: printable ASCII without spaces, brackets or a second `@` (RFC 5322 msg-id). */
const MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f\x41-\x7e]+@[\x21-\x3b\x3d\x3f\x41-\x7e]+>$/;
const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;
const CONTENT_TYPE = /^[a-z]+\/[a-z0-9.+-]+(?:; ?[a-z-]+=[A-Za-z0-9._-]+)*$/;

/** Why the message may not be sent as it is (a header could be forged), or undefined. */
export function mailProblem(mail: OutboundMail): string | undefined {
  const addresses = [mail.from.address, ...mail.to, ...mail.cc];
  const bad = addresses.find((address) => !isEmailAddress(address));
  if (bad !== undefined) return `${JSON.stringify(bad)} is not an e-mail address`;
  if (mail.to.length + mail.cc.length === 0) return 'it has no recipient';
  if (
    mail.from.name !== undefined &&
    (HEADER_BREAKING.test(mail.from.name) || /[<>"\\]/.test(mail.from.name))
  )
    return `the sender's name ${JSON.stringify(mail.from.name)} cannot stand in a header`;
  if (HEADER_BREAKING.test(mail.subject)) return 'the subject holds a line break or a control character';
  const ids = [mail.messageId, ...(mail.inReplyTo ? [mail.inReplyTo] : []), ...(mail.references ?? [])];
  const badId = ids.find((id) => !MESSAGE_ID.test(id));
  if (badId !== undefined) return `${JSON.stringify(badId)} is not a Message-ID`;
  for (const attachment of mail.attachments) {
    if (!FILENAME.test(attachment.filename))
      return `${JSON.stringify(attachment.filename)} cannot name an attachment`;
    if (!CONTENT_TYPE.test(attachment.contentType))
      return `${JSON.stringify(attachment.contentType)} is not a content type`;
  }
  return undefined;
}

/** Subject text on one line: every line break and control character becomes a space. */
export function subjectLine(text: string): string {
  return text.replace(new RegExp(HEADER_BREAKING.source, 'g'), ' ').replace(/\s+/g, ' ').trim();
}
