// GitHub Pages sites for end-to-end tests, served by the test server under /_pages/<owner>/<repo>/:
// what each repository has deployed, with the ETag and Last-Modified a Pages CDN sends and the 304 it
// answers to a matching If-None-Match or If-Modified-Since.
import { createHash } from 'node:crypto';

interface PublishedFile {
  data: Buffer;
  etag: string;
  lastModified: string;
}

export interface PagesAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.json$/, 'application/json; charset=utf-8'],
  [/\.ics$/, 'text/calendar; charset=utf-8'],
  [/\.html$/, 'text/html; charset=utf-8'],
];

export class PagesSites {
  private readonly sites = new Map<string, Map<string, PublishedFile>>();

  constructor(private readonly clock: () => Date) {}

  /** Deploys a site: `files` by path replace whatever the repository had published. */
  deploy(
    repository: string,
    files: ReadonlyMap<string, string | Buffer> | Record<string, string | Buffer>,
  ): void {
    const entries = files instanceof Map ? [...files] : Object.entries(files);
    const lastModified = this.clock().toUTCString();
    const site = new Map<string, PublishedFile>();
    for (const [path, content] of entries) {
      const data = typeof content === 'string' ? Buffer.from(content) : content;
      const etag = `"${createHash('sha1').update(data).digest('hex').slice(0, 16)}"`;
      const before = this.sites.get(repository.toLowerCase())?.get(path);
      // An unchanged file keeps its validators, as a CDN's would.
      site.set(path, before && before.data.equals(data) ? before : { data, etag, lastModified });
    }
    this.sites.set(repository.toLowerCase(), site);
  }

  /** Takes a repository's site down (its URLs answer 404). */
  remove(repository: string): void {
    this.sites.delete(repository.toLowerCase());
  }

  files(repository: string): Map<string, Buffer> {
    return new Map([...(this.sites.get(repository.toLowerCase()) ?? [])].map(([p, f]) => [p, f.data]));
  }

  clear(): void {
    this.sites.clear();
  }

  /** Answers GET /_pages/<owner>/<repo>/<path>. */
  serve(path: string, headers: Record<string, string | string[] | undefined>): PagesAnswer {
    const m = /^\/_pages\/([^/]+)\/([^/]+)\/(.*)$/.exec(path);
    const file = m
      ? this.sites
          .get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`.toLowerCase())
          ?.get(decodeURIComponent(m[3] || 'index.html'))
      : undefined;
    if (!m || !file)
      return { status: 404, headers: { 'content-type': 'text/html' }, body: Buffer.from('404 Not Found') };
    const validators = {
      etag: file.etag,
      'last-modified': file.lastModified,
      'cache-control': 'max-age=600',
    };
    const match = headers['if-none-match'];
    const since = headers['if-modified-since'];
    const notModified =
      match !== undefined
        ? String(match)
            .split(',')
            .map((t) => t.trim().replace(/^W\//, ''))
            .includes(file.etag)
        : since !== undefined && Date.parse(String(since)) >= Date.parse(file.lastModified);
    if (notModified) return { status: 304, headers: validators, body: Buffer.alloc(0) };
    const type = CONTENT_TYPES.find(([re]) => re.test(m[3]!))?.[1] ?? 'application/octet-stream';
    return { status: 200, headers: { ...validators, 'content-type': type }, body: file.data };
  }
}
