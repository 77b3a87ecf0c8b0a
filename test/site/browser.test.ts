// The schedule page opened in headless Chromium: the examples show, the filters work by mouse and
// keyboard, the inline script runs under the page's CSP without errors, axe finds no serious WCAG 2
// A/AA violation, and without JavaScript the whole list is there. Saves test-results/schedule-page.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  CHROMIUM_AVAILABLE as AVAILABLE,
  CHROMIUM_MISSING as MISSING,
  TEST_RESULTS,
  launchChromium,
  openPage,
  type Opened,
} from './chromium.ts';
import { examplePage } from './examples.ts';

const SCREENSHOT = join(TEST_RESULTS, 'schedule-page.png');

if (!AVAILABLE && process.env.CI) {
  it('opens the schedule page in headless Chromium', () => {
    throw new Error(`${MISSING}; CI is set, so this is a failure, not a skip`);
  });
}
if (!AVAILABLE && !process.env.CI) console.warn(`skipping the browser tests: ${MISSING}`);

interface EntryState {
  id: string;
  environments: string[];
  services: string[];
  visible: boolean;
}

describe.skipIf(!AVAILABLE)(
  `the schedule page in headless Chromium${AVAILABLE ? '' : ` (skipped: ${MISSING})`}`,
  () => {
    let browser: Browser;
    let dir: string;
    let url: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'maint-site-'));
      writeFileSync(join(dir, 'index.html'), examplePage());
      url = pathToFileURL(join(dir, 'index.html')).href;
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const open = (options: BrowserContextOptions = {}): Promise<Opened> => openPage(browser, url, options);

    async function entries(page: Page): Promise<EntryState[]> {
      const out: EntryState[] = [];
      for (const entry of await page.locator('article[data-filter-item="maintenance"]').all()) {
        out.push({
          id: (await entry.getAttribute('id')) ?? '',
          environments: JSON.parse((await entry.getAttribute('data-environments')) ?? '[]') as string[],
          services: JSON.parse((await entry.getAttribute('data-services')) ?? '[]') as string[],
          visible: await entry.isVisible(),
        });
      }
      return out;
    }

    const count = (page: Page) => page.locator('#filter-count').innerText();
    const focusedId = (page: Page) =>
      page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');

    it('shows every example with the filter form, and saves a screenshot', async () => {
      const { context, page, errors } = await open();
      const all = await entries(page);
      expect(all.length).toBe(15);
      expect(all.every((e) => e.visible)).toBe(true);
      for (const title of [
        'Weekly API rolling update',
        'Orders database schema migration (split order_items)',
        'Rebuild the search index',
        'Emergency OpenSSH patch on the bastion hosts',
        'Renew the CDN edge certificate',
        'Monthly PostgreSQL VACUUM ANALYZE and reindex',
      ]) {
        await expect.poll(() => page.getByRole('heading', { name: title }).first().isVisible()).toBe(true);
      }
      expect(await page.locator('#filters').isVisible()).toBe(true);
      expect(await page.title()).toBe('Planned maintenance: schedule');
      mkdirSync(TEST_RESULTS, { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    });

    it('filters by environment, then by service, and updates the count', async () => {
      const { context, page, errors } = await open();
      const total = (await entries(page)).length;

      await page.selectOption('#filter-environment', 'production');
      let state = await entries(page);
      const production = state.filter((e) => e.environments.includes('production'));
      expect(production.length).toBeGreaterThan(0);
      expect(production.length).toBeLessThan(total);
      expect(state.filter((e) => e.visible).map((e) => e.id)).toEqual(production.map((e) => e.id));
      expect(await count(page)).toBe(
        `Showing ${production.length} of ${total} maintenance items (environment production).`,
      );
      expect(
        await page.locator('[data-day]:has(#m-staging-kubernetes-upgrade-20270115T2000)').isVisible(),
      ).toBe(false);

      await page.selectOption('#filter-service', 'api');
      state = await entries(page);
      const api = state.filter((e) => e.environments.includes('production') && e.services.includes('api'));
      expect(api.length).toBe(6);
      expect(state.filter((e) => e.visible).map((e) => e.id)).toEqual(api.map((e) => e.id));
      expect(await count(page)).toBe(
        `Showing 6 of ${total} maintenance items (environment production, service api).`,
      );
      // Freezes follow the environment only: production's are still listed.
      expect(await page.locator('[data-filter-item="freeze"]:visible').count()).toBeGreaterThan(0);

      await page.selectOption('#filter-environment', 'staging');
      expect((await entries(page)).filter((e) => e.visible)).toEqual([]);
      expect(await count(page)).toBe(
        `Showing 0 of ${total} maintenance items (environment staging, service api).`,
      );
      expect(await page.locator('#upcoming [data-no-match]').isVisible()).toBe(true);

      await page.getByRole('button', { name: 'Show all' }).click();
      await expect.poll(() => count(page)).toBe(`Showing all ${total} maintenance items.`);
      expect((await entries(page)).every((e) => e.visible)).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('can be used from the keyboard alone, with a visible focus', async () => {
      const { context, page, errors } = await open();
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to the schedule');
      for (let i = 0; i < 30 && (await focusedId(page)) !== 'filter-environment'; i++)
        await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('filter-environment');
      expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe(
        'none',
      );

      await page.keyboard.press('ArrowDown'); // All environments -> production
      await expect.poll(() => count(page)).toMatch(/\(environment production\)\.$/);

      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('filter-service');
      await page.keyboard.press('ArrowDown'); // All services -> api (the first, alphabetically)
      await expect.poll(() => count(page)).toMatch(/^Showing 6 of \d+ .*service api\)\.$/);

      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Show all');
      await page.keyboard.press('Enter');
      await expect.poll(() => count(page)).toMatch(/^Showing all \d+ maintenance items\.$/);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('enforces its Content-Security-Policy: an injected inline script does not run', async () => {
      const { context, page } = await open();
      await page.addScriptTag({ content: 'window.injected = true;' }).catch(() => undefined);
      expect(await page.evaluate<boolean>('window.injected === true')).toBe(false);
      // Its own script, allowed by hash, did run.
      expect(await page.locator('#filters').isVisible()).toBe(true);
      await context.close();
    });

    it('has no serious or critical WCAG 2 A/AA violation (axe-core)', async () => {
      // axe is injected as a script tag, which the page's CSP would refuse: this context bypasses it.
      const { context, page, errors } = await open({ bypassCSP: true });
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('lists everything without JavaScript, with the filter form hidden', async () => {
      const { context, page, errors } = await open({ javaScriptEnabled: false });
      const all = await entries(page);
      expect(all.length).toBe(15);
      expect(all.every((e) => e.visible)).toBe(true);
      expect(await page.locator('[data-filter-item="freeze"]').first().isVisible()).toBe(true);
      expect(await page.locator('#filters').isVisible()).toBe(false);
      expect(await count(page)).toBe('Showing all 15 maintenance items.');
      expect(await page.getByRole('link', { name: 'Add to Google Calendar' }).count()).toBe(4);
      expect(errors).toEqual([]);
      await context.close();
    });
  },
);
