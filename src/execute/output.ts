// Captures a command's output in bounded memory: the head and the tail are kept, the middle is counted
// and left out with a visible note, and secrets are masked before anything is cut.
import { maskedText, secretSpans } from './mask.ts';

export const OUTPUT_HEAD_BYTES = 8 * 1024;
export const OUTPUT_TAIL_BYTES = 8 * 1024;

export class OutputCapture {
  private readonly headChunks: Buffer[] = [];
  private headBytes = 0;
  private tailChunks: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly headCap: number;
  private readonly tailCap: number;

  constructor(
    private readonly patterns: readonly Buffer[],
    private readonly limits = { head: OUTPUT_HEAD_BYTES, tail: OUTPUT_TAIL_BYTES },
  ) {
    // Keep a secret's length beyond each cut, so a secret crossing the cut is still found and masked whole,
    // and a UTF-8 character's, so the cut can move off the middle of one.
    const margin = Math.max(0, ...patterns.map((p) => p.length)) + 4;
    this.headCap = limits.head + margin;
    this.tailCap = limits.tail + margin;
  }

  write(chunk: Buffer): void {
    this.total += chunk.length;
    const toHead = Math.min(chunk.length, this.headCap - this.headBytes);
    if (toHead > 0) {
      this.headChunks.push(chunk.subarray(0, toHead));
      this.headBytes += toHead;
    }
    this.tailChunks.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailChunks.length > 1 && this.tailBytes - this.tailChunks[0]!.length >= this.tailCap) {
      this.tailBytes -= this.tailChunks.shift()!.length;
    }
  }

  /** The output as text: whole when short, else head, a note of how many bytes were left out, and tail. */
  text(): string {
    const head = Buffer.concat(this.headChunks);
    const tail = Buffer.concat(this.tailChunks).subarray(-this.tailCap);
    const tailStart = this.total - tail.length;
    if (this.total <= this.limits.head + this.limits.tail) {
      const whole = Buffer.concat([head, tail.subarray(head.length - tailStart)]);
      return maskedText(whole, secretSpans(whole, this.patterns));
    }
    const headCut = charBoundary(head, this.limits.head, -1);
    const tailCut = charBoundary(tail, tail.length - this.limits.tail, 1);
    const shownHead = maskedText(head, secretSpans(head, this.patterns), 0, headCut);
    const shownTail = maskedText(tail, secretSpans(tail, this.patterns), tailCut);
    const omitted = tailStart + tailCut - headCut;
    const note = `[... ${omitted.toLocaleString('en-US')} bytes of output left out ...]`;
    return `${shownHead}${shownHead.endsWith('\n') ? '' : '\n'}${note}\n${shownTail}`;
  }
}

/** Moves a cut off the middle of a UTF-8 character (continuation bytes are 10xxxxxx). */
function charBoundary(data: Buffer, at: number, direction: 1 | -1): number {
  let cut = at;
  while (cut > 0 && cut < data.length && ((data[cut] as number) & 0xc0) === 0x80) cut += direction;
  return cut;
}
