// The schedule page as a string: every example listed, untrusted text inert, links short enough,
// findings and freezes shown, and the output a pure function of its input.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { renderSchedulePage } from '../../src/site/schedule-page.ts';
import { MAX_LINK_LENGTH } from '../../src/site/subscribe.ts';
import { BASE_URL, FEEDS, NOW, examplePage, fixture, schedule } from './examples.ts';
import { attribute, tokenize, type Element } from './html-tokens.ts';

const items = (elements: Element[]) =>
  elements.filter((e) => e.name === 'article' && attribute(e, 'data-filter-item') === 'maintenance');

describe('renderSchedulePage with the example requests', () => {
  const page = examplePage();
  const { elements, text } = tokenize(page);
  const { requests } = schedule();

  it('lists every example request at least once', () => {
    expect(requests.length).toBeGreaterThanOrEqual(10);
    const ids = items(elements).map((e) => attribute(e, 'id') ?? '');
    for (const request of requests) {
      expect(
        ids.some((id) => id.startsWith(`m-${request.id}-`)),
        request.id,
      ).toBe(true);
      expect(text).toContain(request.title);
    }
  });

  it('expands repeating work over the next six weeks and keeps recent one-off work', () => {
    const ids = items(elements).map((e) => attribute(e, 'id'));
    // Sundays 10 January to 14 February 2027.
    expect(ids.filter((id) => id?.startsWith('m-weekly-api-rolling-update-'))).toEqual([
      'm-weekly-api-rolling-update-20270110T0200',
      'm-weekly-api-rolling-update-20270117T0200',
      'm-weekly-api-rolling-update-20270124T0200',
      'm-weekly-api-rolling-update-20270131T0200',
      'm-weekly-api-rolling-update-20270207T0200',
      'm-weekly-api-rolling-update-20270214T0200',
    ]);
    // Ended 13 December 2026, within the 90-day retention: listed under Recent.
    const recent = page.slice(page.indexOf('id="recent"'));
    expect(recent).toContain('id="m-edge-certificate-renewal-20261213T0200"');
  });

  it('gives each entry its facts, time in its own zone and UTC, and machine-readable times', () => {
    const orders = page.slice(page.indexOf('id="m-orders-schema-migration-'));
    const card = orders.slice(0, orders.indexOf('</article>'));
    expect(card).toContain(
      '<time datetime="2027-01-24T03:00:00Z">Sunday 24 January 2027, 04:00-07:00 CET (03:00-06:00 UTC)</time>',
    );
    expect(card).toContain('<time datetime="PT3H">3 h</time>');
    for (const fact of [
      'production',
      'orders-db, orders-service',
      'Standard',
      'Database migration',
      'High impact',
    ]) {
      expect(card).toContain(fact);
    }
    expect(card).toContain('Ordering is unavailable for up to three hours');
    expect(card).toContain('Restore the pre-migration backup');
    expect(card).toContain('frank (@frank)');
    expect(card).toContain('href="https://github.com/example-org/maintenance-calendar/issues/7"');
    expect(card).toContain(
      'href="https://github.com/example-org/maintenance-calendar/blob/HEAD/maintenance/2027/orders-schema-migration.yaml"',
    );
  });

  it('marks cancelled work struck through with a label, and emergencies', () => {
    const cancelled = elements.find((e) => attribute(e, 'id')?.startsWith('m-search-reindex-'));
    expect(attribute(cancelled!, 'class')).toContain('is-cancelled');
    expect(page).toMatch(
      /<s>Rebuild the search index<\/s><span class="visually-hidden"> \(cancelled\)<\/span>/,
    );
    const searchCard = page.slice(page.indexOf('id="m-search-reindex-'));
    expect(searchCard.slice(0, searchCard.indexOf('</article>'))).toContain('>Cancelled</span>');
    const emergency = page.slice(page.indexOf('id="m-emergency-openssh-patch-'));
    expect(emergency.slice(0, emergency.indexOf('</article>'))).toContain(
      '<span class="badge emergency">Emergency</span>',
    );
  });

  it("shows the policy's change freezes on the timeline and on the work inside them", () => {
    const freezes = elements.filter((e) => attribute(e, 'data-filter-item') === 'freeze');
    expect(freezes.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('Year-end freeze (in force)');
    expect(text).toContain('Month-end close');
    expect(text).toContain('During change freeze: Year-end freeze');
  });

  it('shows the validation warnings of a request on its entry', () => {
    const emergency = page.slice(page.indexOf('id="m-emergency-openssh-patch-'));
    const card = emergency.slice(0, emergency.indexOf('</article>'));
    expect(card).toContain('class="findings"');
    expect(card).toContain('runs during peak business hours');
  });

  it('lists the filter choices and a count, with the form hidden until the script shows it', () => {
    const env = page.slice(page.indexOf('id="filter-environment"'), page.indexOf('</select>'));
    expect(env).toContain('<option value="production">production</option>');
    expect(env).toContain('<option value="staging">staging</option>');
    expect(page).toContain('<option value="orders-service">orders-service</option>');
    expect(page).toMatch(/<section class="panel filters" id="filters"[^>]* hidden>/);
    expect(page).toContain(
      `role="status" aria-live="polite">Showing all ${items(elements).length} maintenance items.`,
    );
  });

  it('has a language, a title, landmarks and headings that do not skip levels', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(elements.find((e) => e.name === 'title')?.raw).toBe('Planned maintenance: schedule');
    for (const landmark of ['header', 'nav', 'main', 'footer']) {
      expect(elements.filter((e) => e.name === landmark)).toHaveLength(1);
    }
    const levels = elements.filter((e) => /^h[1-6]$/.test(e.name)).map((e) => Number(e.name[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => {
      if (i > 0) expect(level - levels[i - 1]!).toBeLessThanOrEqual(1);
    });
  });

  it('allows only its own inline style and script, by hash', () => {
    const meta = elements.find((e) => attribute(e, 'http-equiv') === 'Content-Security-Policy');
    const policy = attribute(meta!, 'content')!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const style = elements.filter((e) => e.name === 'style');
    const script = elements.filter((e) => e.name === 'script');
    expect(style).toHaveLength(1);
    expect(script).toHaveLength(1);
    expect(policy).toContain(`style-src ${hash(style[0]!.raw!)}`);
    expect(policy).toContain(`script-src ${hash(script[0]!.raw!)}`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe');
    expect(elements.some((e) => attribute(e, 'style') !== undefined)).toBe(false);
  });
});

describe('untrusted text', () => {
  const hostile = fixture('hostile-text.yaml');
  const base = schedule([hostile]);
  const request = hostile.request!;
  // Beyond what the schema lets through: the renderer must not rely on validation having run.
  const unchecked: MaintenanceRequest = {
    ...request,
    id: 'x"><script>alert(7)</script>',
    file: 'maintenance/<b>.yaml',
    environment: 'prod"><img src=x onerror=alert(8)>',
    services: ['api', '<svg/onload=alert(9)>', "a' onfocus='alert(10)"],
    links: [
      { title: 'script link', url: 'javascript:alert(11)' },
      { title: 'data link', url: 'data:text/html,<script>alert(12)</script>' },
    ],
  };
  const report = {
    ...base.report,
    files: [
      ...base.report.files,
      {
        path: unchecked.file,
        id: unchecked.id,
        request: unchecked,
        errors: [],
        warnings: [
          {
            rule: 'conflict' as const,
            severity: 'warning' as const,
            message: 'overlaps `<script>alert(13)</script>` and ``odd` ticks <i>',
            line: 1,
            column: 1,
          },
        ],
        history: false,
      },
    ],
  };
  const page = renderSchedulePage({
    requests: [...base.requests, unchecked],
    report,
    policy: { ...base.policy, calendar: { ...base.policy.calendar, name: 'Ops <script>alert(14)</script>' } },
    now: NOW,
    repo: { owner: '"><script>alert(15)</script>', name: 'repo', serverUrl: 'javascript:alert(16)//' },
    feeds: [...FEEDS, { label: '<img src=x onerror=alert(17)>', path: 'x.ics' }],
    baseUrl: BASE_URL,
    links: () => ({ pr: 'javascript:alert(18)', issue: 'https://example.com/issues/1?a="b"' }),
  });
  const { elements, text } = tokenize(page);
  const reference = tokenize(examplePage());

  it('creates no element the page does not create by itself', () => {
    const known = new Set(reference.elements.map((e) => e.name));
    known.add('details').add('summary'); // the hostile request has justification, testing and risks
    expect(elements.map((e) => e.name).filter((name) => !known.has(name))).toEqual([]);
    expect(elements.filter((e) => e.name === 'script')).toHaveLength(1);
    expect(elements.filter((e) => e.name === 'style')).toHaveLength(1);
    for (const name of ['img', 'svg', 'iframe', 'marquee', 'b', 'u', 'i'])
      expect(elements.filter((e) => e.name === name)).toHaveLength(0);
    expect(elements.filter((e) => e.name === 'h1')).toHaveLength(1);
  });

  it('creates no attribute the page does not create by itself, and no script URL', () => {
    const known = new Set(reference.elements.flatMap((e) => e.attributes.map(([key]) => key)));
    const attributes = elements.flatMap((e) => e.attributes.map(([key]) => key));
    expect(attributes.filter((key) => !known.has(key))).toEqual([]);
    expect(attributes.filter((key) => key.startsWith('on'))).toEqual([]);
    const urls = elements.flatMap((e) => ['href', 'src'].map((key) => attribute(e, key) ?? ''));
    expect(urls.filter((url) => /^\s*(javascript|data|vbscript):/i.test(url))).toEqual([]);
  });

  it('shows every hostile string as the text it is', () => {
    for (const value of [
      request.title,
      request.impact_description,
      request.rollback,
      request.contacts!.primary!,
      request.contacts!.secondary!,
      request.incident!,
      request.risks!,
      unchecked.environment,
      "a' onfocus='alert(10)",
      '<img src=x onerror=alert(17)>',
    ]) {
      expect(text).toContain(value);
    }
    expect(text).toContain('@org/everyone');
    expect(text).toContain('{{ constructor }}');
    expect(text).toContain('**bold**');
    expect(text).toContain('<script>alert(13)</script>');
    const title = elements.find((e) => e.name === 'title');
    expect(title?.raw).toBe('Ops &lt;script&gt;alert(14)&lt;/script&gt;: schedule');
  });

  it('keeps the data attributes the filter script reads as JSON', () => {
    const card = elements.find((e) => attribute(e, 'data-environments')?.startsWith('["prod\\"'));
    expect(JSON.parse(attribute(card!, 'data-environments')!)).toEqual([unchecked.environment]);
    expect(JSON.parse(attribute(card!, 'data-services')!)).toEqual(unchecked.services);
  });

  it('names the unsafe links without linking them', () => {
    expect(text).toContain('script link (link not shown: not an http(s) address)');
    expect(text).toContain('Pull request (link not shown: not an http(s) address)');
    expect(page).toContain('href="https://example.com/issues/1?a=%22b%22"');
  });
});

describe('links', () => {
  const page = examplePage();
  const hrefs = tokenize(page)
    .elements.map((e) => attribute(e, 'href'))
    .filter((href): href is string => href !== undefined);

  it('offers https, webcal and Google Calendar links for every feed', () => {
    for (const feed of FEEDS) {
      const https = `${BASE_URL}${feed.path}`;
      const webcal = https.replace('https://', 'webcal://');
      expect(hrefs).toContain(https);
      expect(hrefs).toContain(webcal);
      expect(hrefs).toContain(`https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}`);
    }
    expect(page).toContain('every 8 to 24 hours');
    expect(page).toContain('Outlook about every 3 hours');
  });

  it('keeps every link under 256 characters', () => {
    expect(hrefs.length).toBeGreaterThan(30);
    for (const href of hrefs) expect(href.length, href).toBeLessThan(256);
    expect(MAX_LINK_LENGTH).toBe(255);
  });

  it('refuses a site address that would make a feed link too long', () => {
    const long = `https://example-org.github.io/${'x'.repeat(200)}/`;
    expect(() => examplePage({ baseUrl: long })).toThrow(
      /Google Calendar link of feed "All maintenance" is \d+ characters/,
    );
  });

  it('refuses a site address that is not https', () => {
    expect(() => examplePage({ baseUrl: 'http://example.com/' })).toThrow(/must be https/);
  });

  it('uses relative feed links and explains webcal without a site address', () => {
    const relative = examplePage({ baseUrl: undefined });
    const links = tokenize(relative)
      .elements.map((e) => attribute(e, 'href'))
      .filter((href) => href !== undefined);
    expect(links).toContain('maintenance.ics');
    expect(links).toContain('env/production.ics');
    expect(links.some((href) => href!.startsWith('webcal:') || href!.includes('calendar.google.com'))).toBe(
      false,
    );
    expect(relative).toContain(
      '<code>webcal://</code> and Google Calendar links need the published https URL',
    );
  });
});

describe('determinism', () => {
  it('renders byte-identical pages for the same input', () => {
    expect(examplePage()).toBe(examplePage());
  });

  it('does not depend on the order requests are given in', () => {
    const { policy, requests, report } = schedule();
    const input = { report, policy, now: NOW, feeds: FEEDS, baseUrl: BASE_URL };
    const forward = renderSchedulePage({ ...input, requests });
    const backward = renderSchedulePage({ ...input, requests: [...requests].reverse() });
    expect(backward).toBe(forward);
  });

  it('changes only with the input: a later `now` moves work from Upcoming to Recent', () => {
    const { policy, requests, report } = schedule();
    const later = renderSchedulePage({ requests, report, policy, now: NOW + 14 * 86_400_000, feeds: FEEDS });
    const recent = later.slice(later.indexOf('id="recent"'));
    expect(recent).toContain('id="m-api-certificate-renewal-20270113T0200"');
  });
});

describe('conflicts', () => {
  it('shows a conflict on both requests involved', () => {
    const page = examplePage({}, [fixture('conflicting-api-deploy.yaml')]);
    for (const id of [
      'm-conflicting-api-deploy-20270110T0230',
      'm-weekly-api-rolling-update-20270110T0200',
    ]) {
      const card = page.slice(page.indexOf(`id="${id}"`));
      const body = card.slice(0, card.indexOf('</article>'));
      expect(body, id).toContain('Error (conflict)');
      expect(body, id).toContain('two changes to one service at once');
    }
  });
});
