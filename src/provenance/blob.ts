// Git's name for a file's content (its blob SHA-1), computed from the bytes: what the API reports as a
// file's `sha`, so a checkout's file and a commit's file are compared without asking GitHub.
import { createHash } from 'node:crypto';

export function gitBlobSha(content: Buffer | string): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
