// A gzip'ed tar of one commit, laid out as `git archive` makes it for GitHub's tarball endpoint: a pax global
// header carrying the commit sha, then the single root folder `{owner}-{repo}-{shortsha}/` and its entries.
import { gzipSync } from 'node:zlib';

const BLOCK = 512;

export interface TarballOptions {
  /** The root folder, without the trailing slash. */
  root: string;
  /** Written into the pax global header as `comment`, as git archive does. */
  commitSha: string;
  mtime: Date;
}

export function tarball(tree: Map<string, Buffer>, options: TarballOptions): Buffer {
  const blocks: Buffer[] = [];
  const mtime = Math.floor(options.mtime.getTime() / 1000);
  blocks.push(...entry('pax_global_header', 'g', pax({ comment: options.commitSha }), 0o666, mtime));
  const dirs = new Set<string>();
  for (const path of tree.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  // Sorted, a folder (`a/`) comes right before what it holds (`a/b`).
  const names = [...[...dirs].map((d) => `${d}/`), ...tree.keys()].sort();
  blocks.push(...entry(`${options.root}/`, '5', Buffer.alloc(0), 0o775, mtime));
  for (const name of names) {
    const full = `${options.root}/${name}`;
    if (name.endsWith('/')) blocks.push(...entry(full, '5', Buffer.alloc(0), 0o775, mtime));
    else blocks.push(...entry(full, '0', tree.get(name) as Buffer, 0o664, mtime));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(blocks));
}

function pax(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length++;
    return `${length}${body}`;
  });
  return Buffer.from(lines.join(''));
}

function entry(
  name: string,
  type: '0' | '5' | 'g' | 'x',
  data: Buffer,
  mode: number,
  mtime: number,
): Buffer[] {
  const out: Buffer[] = [];
  let headerName = name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const split = splitUstar(name);
    if (split) [prefix, headerName] = split;
    else {
      out.push(...entry('PaxHeader', 'x', pax({ path: name }), 0o644, mtime));
      headerName = name.slice(0, 100);
    }
  }
  out.push(header(headerName, prefix, type, data.length, mode, mtime));
  if (data.length > 0) {
    out.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad > 0) out.push(Buffer.alloc(pad));
  }
  return out;
}

/** ustar keeps names up to 255 bytes as prefix (155) + "/" + name (100). */
function splitUstar(path: string): [string, string] | undefined {
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/' || i === path.length - 1) continue;
    const prefix = path.slice(0, i);
    const rest = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return [prefix, rest];
  }
  return undefined;
}

function header(
  name: string,
  prefix: string,
  type: string,
  size: number,
  mode: number,
  mtime: number,
): Buffer {
  const h = Buffer.alloc(BLOCK);
  const text = (value: string, offset: number, length: number): void => {
    h.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
  };
  const octal = (value: number, offset: number, length: number): void =>
    text(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length);
  text(name, 0, 100);
  octal(mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(mtime, 136, 12);
  h.fill(' ', 148, 156);
  text(type, 156, 1);
  text('ustar\0', 257, 6);
  text('00', 263, 2);
  text('root', 265, 32);
  text('root', 297, 32);
  text(prefix, 345, 155);
  let sum = 0;
  for (const byte of h) sum += byte;
  text(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}
