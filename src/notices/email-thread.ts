// The threading headers of e-mail notices: every notice of one maintenance occurrence answers its
// announcement, so mail clients show the reminders, start and outcome as one conversation. The
// Message-IDs come from the occurrence key and the notice alone (never a clock or a random part), so
// a retry, a repeated tick or an owed notice sent later always lands in the same thread, and the
// domain is the calendar UIDs' (`<owner>.<name>.maint`). Pure.
import type { MaintenanceRequest } from '../model/types.ts';
import type { NoticeKind } from './kinds.ts';

export interface ThreadHeaders {
  /** `<reminder-P1D.deploy@acme.ops.maint>` */
  messageId: string;
  /** The announcement's Message-ID; absent on the announcement itself. */
  inReplyTo?: string;
  references?: string[];
}

/** The notice's part of a Message-ID: its kind, and for a reminder its offset (`reminder-P1D`). */
function noticePart(kind: NoticeKind, offset: string | undefined): string {
  return kind === 'reminder' && offset ? `reminder-${offset}` : kind;
}

/**
 * An occurrence key as the left of a Message-ID: ids are kebab-case, so `@` and `:` (which a
 * Message-ID may not hold there) become `.` and nothing without two keys colliding.
 */
function keyPart(key: string): string {
  return key.replace('@', '.').replace(/:/g, '');
}

export function noticeMessageId(key: string, notice: string, domain: string): string {
  return `<${notice}.${keyPart(key)}@${domain}>`;
}

export function threadHeaders(
  request: Pick<MaintenanceRequest, 'type'>,
  key: string,
  kind: NoticeKind,
  offset: string | undefined,
  domain: string,
): ThreadHeaders {
  const messageId = noticeMessageId(key, noticePart(kind, offset), domain);
  const root = noticeMessageId(key, request.type === 'emergency' ? 'emergency' : 'announcement', domain);
  return messageId === root ? { messageId } : { messageId, inReplyTo: root, references: [root] };
}
