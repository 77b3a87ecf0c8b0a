// The timeline at a glance in headless Chromium, at 1280 px and 375 px: it fits (no horizontal
// overflow, bars inside their tracks and apart from one another), its styles pass the page's CSP,
// axe-core finds no serious WCAG 2 A/AA violation, every bar is reached by the keyboard and its link
// lands on its entry, even when the filters had hidden it. Saves test-results/timeline-{1280,375}.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_AVAILABLE,
  CHROMIUM_MISSING,
  TEST_RESULTS,
  axeViolations,
  launchChromium,
  openPage,
} from './chromium.ts';
import { examplePage } from './examples.ts';

if (!CHROMIUM_AVAILABLE && process.env.CI) {
  it('opens the timeline in headless Chromium', () => {
    throw new Error(`${CHROMIUM_MISSING}; CI is set, so this is a failure, not a skip`);
  });
}

// Thursday noon: the week shows days before and after today.
const NOW = Date.parse('2027-01-07T12:00:00Z');
const WIDTHS = [1280, 375] as const;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface BarLayout {
  href: string | null;
  track: number;
  bar: Box;
  trackBox: Box;
}

/** Every bar (linked or continued) with its box and its track's. */
function barLayout(page: Page): Promise<BarLayout[]> {
  return page.evaluate<BarLayout[]>(`(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const tracks = [...document.querySelectorAll('.chart-track')];
    return [...document.querySelectorAll('.chart-bar')].map((bar) => {
      const track = bar.closest('.chart-track');
      return { href: bar.getAttribute('href'), track: tracks.indexOf(track), bar: box(bar), trackBox: box(track) };
    });
  })()`);
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

describe.skipIf(!CHROMIUM_AVAILABLE)(
  `the timeline in headless Chromium${CHROMIUM_AVAILABLE ? '' : ` (skipped: ${CHROMIUM_MISSING})`}`,
  () => {
    let browser: Browser;
    let dir: string;
    let url: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'maint-chart-'));
      writeFileSync(join(dir, 'index.html'), examplePage({ now: NOW }));
      url = pathToFileURL(join(dir, 'index.html')).href;
      browser = await launchChromium();
      mkdirSync(TEST_RESULTS, { recursive: true });
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.each(WIDTHS)(
      'at %i px: fits the width, bars inside their tracks and apart, styles allowed by the CSP',
      async (width) => {
        const { context, page, errors } = await openPage(browser, url, { viewport: { width, height: 900 } });
        await page.locator('#timeline').screenshot({ path: join(TEST_RESULTS, `timeline-${width}.png`) });
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          width,
        );

        const bars = await barLayout(page);
        expect(bars.length).toBeGreaterThan(10);
        for (const { bar, trackBox, href } of bars) {
          // Drawn by the stylesheet (a CSP-blocked style would leave them as empty inline links).
          expect(bar.right - bar.left, href ?? 'continuation').toBeGreaterThanOrEqual(11.5);
          expect(bar.bottom - bar.top).toBeGreaterThanOrEqual(7.5);
          expect(bar.left).toBeGreaterThanOrEqual(trackBox.left - 0.5);
          expect(bar.right).toBeLessThanOrEqual(trackBox.right + 0.5);
          expect(bar.top).toBeGreaterThanOrEqual(trackBox.top - 0.5);
          expect(bar.bottom).toBeLessThanOrEqual(trackBox.bottom + 0.5);
        }
        for (const [i, a] of bars.entries())
          for (const b of bars.slice(i + 1))
            if (a.track === b.track) expect(overlaps(a.bar, b.bar), `${a.href} and ${b.href}`).toBe(false);

        // Today is marked in the axis and in the tracks of this week.
        expect(await page.locator('.chart-days li.is-today').innerText()).toMatch(/^Thu\s+7/);
        expect(await page.locator('.chart-week').first().locator('.chart-now').count()).toBe(3);
        expect(errors).toEqual([]);
        await context.close();
      },
    );

    it.each(WIDTHS)(
      'at %i px: axe-core finds no serious WCAG 2 A/AA violation, text open or not',
      async (width) => {
        const { context, page, errors } = await openPage(browser, url, {
          viewport: { width, height: 900 },
          bypassCSP: true, // axe is injected as a script tag
        });
        expect(await axeViolations(page, '#timeline')).toEqual([]);
        await page.locator('#chart-text summary').click();
        expect(await page.locator('#chart-text').getAttribute('open')).not.toBeNull();
        expect(await axeViolations(page, '#timeline')).toEqual([]);
        expect(errors).toEqual([]);
        await context.close();
      },
    );

    it('each bar links to its entry, which is shown in view', async () => {
      const { context, page, errors } = await openPage(browser, url, {
        viewport: { width: 375, height: 800 },
      });
      const links = page.locator('a[data-chart-bar]');
      const hrefs = await links.evaluateAll((all) => all.map((a) => a.getAttribute('href')!));
      expect(hrefs.length).toBeGreaterThan(10);
      for (const [i, href] of hrefs.entries()) {
        await links.nth(i).click();
        expect(await page.evaluate<string>('location.hash')).toBe(href);
        const entry = page.locator(href);
        expect(await entry.isVisible()).toBe(true);
        expect(await entry.evaluate((el) => el.tagName)).toBe('ARTICLE');
        const top = await entry.evaluate((el) => el.getBoundingClientRect().top);
        expect(top, href).toBeGreaterThanOrEqual(-1);
        expect(top, href).toBeLessThan(800);
      }
      expect(errors).toEqual([]);
      await context.close();
    });

    it('reaches every bar by Tab, in order, with a visible focus, and Enter follows it', async () => {
      const { context, page, errors } = await openPage(browser, url);
      const hrefs = await page
        .locator('a[data-chart-bar]')
        .evaluateAll((all) => all.map((a) => a.getAttribute('href')!));
      const focused = () =>
        page.evaluate<{ href: string | null; bar: boolean; outline: string }>(`(() => {
          const el = document.activeElement;
          return {
            href: el ? el.getAttribute('href') : null,
            bar: el ? el.hasAttribute('data-chart-bar') : false,
            outline: el ? getComputedStyle(el).outlineStyle : 'none',
          };
        })()`);
      const reached: string[] = [];
      for (let i = 0; i < 80 && reached.length < hrefs.length; i++) {
        await page.keyboard.press('Tab');
        const now = await focused();
        if (now.bar) {
          expect(now.outline).not.toBe('none');
          reached.push(now.href!);
        }
      }
      expect(reached).toEqual(hrefs);
      await page.keyboard.press('Enter');
      expect(await page.evaluate<string>('location.hash')).toBe(hrefs[hrefs.length - 1]);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('a bar whose entry the filters hide clears the filters and shows it', async () => {
      const { context, page, errors } = await openPage(browser, url);
      await page.selectOption('#filter-environment', 'staging');
      const bar = page.locator('a[data-chart-bar][href^="#m-orders-schema-migration-"]');
      const href = (await bar.getAttribute('href'))!;
      expect(await page.locator(href).isVisible()).toBe(false);
      await bar.click();
      expect(await page.locator(href).isVisible()).toBe(true);
      expect(await page.locator('#filter-environment').inputValue()).toBe('');
      expect(await page.locator('#filter-count').innerText()).toMatch(
        /^Showing all \d+ maintenance items\.$/,
      );
      expect(await page.evaluate<string>('location.hash')).toBe(href);
      expect(errors).toEqual([]);
      await context.close();
    });
  },
);
