// File routes: contents of a file or folder at a ref (base64, "none" over 1 MB, raw media type) and the
// tarball redirect to this server's codeload stand-in.
import { ApiError, notFound, type Reply, type RequestContext } from '../context.ts';
import { blobSha } from '../git.ts';
import type { RepoRecord } from '../state.ts';

/** Over this size GitHub's JSON contents answer carries `encoding: "none"` and no content. */
export const MAX_INLINE_CONTENT = 1024 * 1024;

function contentUrls(
  ctx: RequestContext,
  repo: RepoRecord,
  path: string,
  ref: string,
  sha: string,
  dir: boolean,
) {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const url = `${ctx.render.repoUrl(repo)}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const git = `${ctx.render.repoUrl(repo)}/git/${dir ? 'trees' : 'blobs'}/${sha}`;
  const html = `${ctx.render.repoHtml(repo)}/${dir ? 'tree' : 'blob'}/${ref}/${encoded}`;
  return {
    url,
    git_url: git,
    html_url: html,
    download_url: dir ? null : `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${encoded}`,
    _links: { self: url, git, html },
  };
}

/** Base64 with a line break every 60 characters, as GitHub sends it. */
function wrappedBase64(data: Buffer): string {
  const text = data.toString('base64');
  return (text.match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join('');
}

function getContent(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const ref = (ctx.query.ref as string | undefined) ?? repo.defaultBranch;
  const sha = ctx.state.resolveRef(repo, ref);
  if (!sha) throw new ApiError(404, `No commit found for the ref ${ref}`);
  const tree = ctx.state.git.get(sha)?.tree ?? new Map<string, Buffer>();
  const path = ctx.str('path').replace(/^\/+|\/+$/g, '');
  const accept = String(ctx.headers.accept ?? '');
  const file = tree.get(path);
  if (file) {
    if (/\.raw\b/.test(accept)) {
      return { status: 200, raw: file, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    const large = file.length > MAX_INLINE_CONTENT;
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: large ? 'none' : 'base64',
        size: file.length,
        name: path.split('/').pop(),
        path,
        content: large ? '' : wrappedBase64(file),
        sha: blobSha(file),
        ...contentUrls(ctx, repo, path, ref, blobSha(file), false),
      },
    };
  }
  const prefix = path === '' ? '' : `${path}/`;
  const children = new Map<string, 'file' | 'dir'>();
  for (const p of tree.keys()) {
    if (!p.startsWith(prefix)) continue;
    const [first, ...rest] = p.slice(prefix.length).split('/');
    children.set(first as string, rest.length > 0 ? 'dir' : 'file');
  }
  if (children.size === 0) throw notFound();
  const entries = [...children.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, type]) => {
      const childPath = `${prefix}${name}`;
      const blob = tree.get(childPath);
      const childSha = blob ? blobSha(blob) : blobSha(Buffer.from(childPath));
      return {
        type,
        size: blob?.length ?? 0,
        name,
        path: childPath,
        sha: childSha,
        ...contentUrls(ctx, repo, childPath, ref, childSha, type === 'dir'),
      };
    });
  return { status: 200, body: entries };
}

function tarballRedirect(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const sha = ctx.state.resolveRef(repo, ctx.str('ref'));
  if (!sha) throw notFound();
  const location = `${ctx.render.api}${ctx.settings.codeloadPath}/${repo.fullName}/legacy.tar.gz/${sha}`;
  return { status: 302, headers: { location }, raw: Buffer.alloc(0) };
}

export const contentRoutes = {
  'repos/get-content': getContent,
  'repos/download-tarball-archive': tarballRedirect,
};
