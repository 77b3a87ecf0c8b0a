// Why a file's text could not be had, whichever world it came from (a checkout, GitHub's API, a
// tarball), and the one sentence each reason gets in findings and errors.
import type { BadByte } from './utf8.ts';
import { notUtf8Message } from './utf8.ts';
import { oversizeMessage } from './yaml-source.ts';

export type Unreadable = { tooBig: number } | { notUtf8: BadByte } | { notFile: string };

export const LINK_REFUSAL =
  'is a symbolic link: maint follows no links (one could point outside the repository); put the file itself here';

/** The sentence for a file whose text could not be had; `notFile` reasons follow the file's name. */
export function unreadableMessage(content: Unreadable): string {
  if ('tooBig' in content) return oversizeMessage(content.tooBig);
  if ('notUtf8' in content) return notUtf8Message(content.notUtf8);
  return content.notFile;
}
