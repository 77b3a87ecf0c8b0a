// Request ids made from free text: the kebab-case slug of a title, and one that no other request has.
// Pure; the id is the file name, the ICS UID root and the result issue's key, so it is made once.

const ID_LENGTH = 60;

/** A kebab-case id from any text: accents dropped, every other run of characters a single dash. */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, ID_LENGTH)
      .replace(/-+$/, '') || 'maintenance'
  );
}

/** `id`, or `id-2`, `id-3`... : the first that is not taken. */
export function uniqueRequestId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n++) {
    const candidate = `${id}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
