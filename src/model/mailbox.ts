// E-mail addresses and the sender as the policy writes them (`ops@example.com`,
// `Ops maintenance <ops@example.com>`): what may stand in a header, checked before anything is sent.
// An address is the JSON Schema `email` format (ajv-formats, the policy's and the request's schema),
// so nothing but the address itself reaches a header: no space, line break, comma or angle bracket. Pure.

/** A sender or recipient: the address and, for the sender, the name shown beside it. */
export interface Mailbox {
  name?: string;
  address: string;
}

/** ajv-formats' `email` (full mode): the same test the schemas apply, again where addresses are used. */
const ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
/** RFC 5321: 254 characters in all (the path limit less the angle brackets). */
const MAX_ADDRESS = 254;
const MAX_NAME = 64;
/** Controls and line breaks, as a character class (a regex literal with controls trips the linter). */
export const HEADER_CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
/** What a shown name may not hold: controls and line breaks (header injection), and `<>"\` (ambiguity). */
const NAME_FORBIDDEN = new RegExp(`[${HEADER_CONTROLS}<>"\\\\]`);

export function isEmailAddress(text: string): boolean {
  return text.length <= MAX_ADDRESS && ADDRESS.test(text);
}

export type MailboxParse = { ok: true; mailbox: Mailbox } | { ok: false; problem: string };

/** `ops@example.com` or `Name <ops@example.com>` (the name may be in double quotes). */
export function parseMailbox(text: string): MailboxParse {
  const trimmed = text.trim();
  const angle = /^(.*?)\s*<([^<>]*)>$/s.exec(trimmed);
  const address = angle ? angle[2]!.trim() : trimmed;
  let name = angle ? angle[1]!.trim() : '';
  if (/^".*"$/s.test(name)) name = name.slice(1, -1).trim();
  if (!isEmailAddress(address))
    return {
      ok: false,
      problem: `${JSON.stringify(address)} is not an e-mail address: write \`ops@example.com\` or \`Ops maintenance <ops@example.com>\``,
    };
  if (NAME_FORBIDDEN.test(name))
    return {
      ok: false,
      problem: `the name ${JSON.stringify(name)} may not contain a line break, a control character, \`<\`, \`>\`, \`"\` or \`\\\``,
    };
  if (name.length > MAX_NAME) return { ok: false, problem: `the name is longer than ${MAX_NAME} characters` };
  return { ok: true, mailbox: { ...(name ? { name } : {}), address } };
}
