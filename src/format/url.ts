// The one check of a URL taken from request or policy text before anything links to it.

/** An absolute http(s) URL (or mailto: where asked) without embedded credentials, or undefined. */
export function followableUrl(text: unknown, options: { mailto?: boolean } = {}): URL | undefined {
  if (typeof text !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  const schemes = options.mailto ? ['https:', 'http:', 'mailto:'] : ['https:', 'http:'];
  if (!schemes.includes(url.protocol)) return undefined;
  if (url.username || url.password) return undefined;
  return url;
}
