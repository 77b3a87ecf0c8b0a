// A small HTML tokenizer for the tests: start tags with their attributes, text, and raw-text elements
// (script, style) read the way an HTML5 parser reads them, so markup smuggled into the page through
// untrusted text would show up here as an extra element or attribute.

export interface Element {
  name: string;
  attributes: [string, string][];
  /** For script, style, title and textarea: their raw content. */
  raw?: string;
}

export interface Tokens {
  elements: Element[];
  /** All text outside tags, entities decoded, joined by single spaces where tags were. */
  text: string;
}

const RAW = new Set(['script', 'style', 'title', 'textarea']);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", middot: '\u00b7' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X'))
      return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

export function tokenize(html: string): Tokens {
  const elements: Element[] = [];
  const text: string[] = [];
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      text.push(html.slice(i));
      break;
    }
    text.push(html.slice(i, lt));
    i = lt;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
    } else if (html.startsWith('<!', i) || html.startsWith('<?', i)) {
      const end = html.indexOf('>', i);
      i = end === -1 ? n : end + 1;
    } else if (html.startsWith('</', i) && /[a-z]/i.test(html[i + 2] ?? '')) {
      const end = html.indexOf('>', i);
      i = end === -1 ? n : end + 1;
      text.push(' ');
    } else if (/[a-z]/i.test(html[i + 1] ?? '')) {
      i = readStartTag(html, i + 1, elements);
      text.push(' ');
      const element = elements[elements.length - 1]!;
      if (RAW.has(element.name)) {
        const close = html.toLowerCase().indexOf(`</${element.name}`, i);
        const end = close === -1 ? n : close;
        element.raw = html.slice(i, end);
        if (element.name === 'title' || element.name === 'textarea') text.push(element.raw);
        i = end;
      }
    } else {
      text.push('<');
      i += 1;
    }
  }
  return { elements, text: decodeEntities(text.join('')).replace(/\s+/g, ' ') };
}

function readStartTag(html: string, from: number, elements: Element[]): number {
  let i = from;
  const name = /^[^\s/>]+/.exec(html.slice(i))![0];
  i += name.length;
  const attributes: [string, string][] = [];
  for (;;) {
    while (i < html.length && /[\s/]/.test(html[i]!)) i++;
    if (i >= html.length || html[i] === '>') break;
    const attr = /^[^\s/>=]+|^=/.exec(html.slice(i))![0];
    i += attr.length;
    while (/\s/.test(html[i] ?? '')) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (/\s/.test(html[i] ?? '')) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, i + 1);
        value = html.slice(i + 1, end === -1 ? html.length : end);
        i = end === -1 ? html.length : end + 1;
      } else {
        value = /^[^\s>]*/.exec(html.slice(i))![0];
        i += value.length;
      }
    }
    attributes.push([attr.toLowerCase(), decodeEntities(value)]);
  }
  elements.push({ name: name.toLowerCase(), attributes });
  return i + 1;
}

export function attribute(element: Element, name: string): string | undefined {
  return element.attributes.find(([key]) => key === name)?.[1];
}
