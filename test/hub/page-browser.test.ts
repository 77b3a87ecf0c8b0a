// The hub's page in headless Chromium: the repository filter shows one repository's work (and keeps
// the freezes), combines with the environment filter, runs under the page's CSP without errors, and
// axe finds no serious WCAG 2 A/AA violation in the hub's own sections.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossRepositoryConflicts } from '../../src/hub/conflicts.ts';
import { mergeSchedules } from '../../src/hub/merge.ts';
import { buildHubSite } from '../../src/hub/site.ts';
import { emptyState } from '../../src/hub/state.ts';
import { axeViolations, CHROMIUM_AVAILABLE, launchChromium, openPage } from '../site/chromium.ts';
import { NOW, fixtureMembers, member, policy } from './site-fixture.ts';

describe.skipIf(!CHROMIUM_AVAILABLE && !process.env.CI)('the hub page in headless Chromium', () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const merged = mergeSchedules(fixtureMembers(), NOW - 90 * 86_400_000);
    const files = buildHubSite({
      occurrences: merged.occurrences,
      members: [member('acme/payments'), member('acme/orders')],
      reports: [],
      policy: policy(),
      now: NOW,
      hub: { owner: 'acme', name: 'hub' },
      baseUrl: 'https://acme.github.io/hub/',
      conflicts: crossRepositoryConflicts(merged.occurrences, policy(), NOW),
      state: emptyState(),
    });
    const dir = mkdtempSync(join(tmpdir(), 'maint-hub-page-'));
    writeFileSync(join(dir, 'index.html'), files.get('index.html')!);
    url = pathToFileURL(join(dir, 'index.html')).href;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('filters by repository, alone and with the environment', async () => {
    const { context, page, errors } = await openPage(browser, url);
    const visible = async () => {
      const out: string[] = [];
      for (const entry of await page.locator('article[data-filter-item="maintenance"]').all())
        if (await entry.isVisible()) out.push((await entry.getAttribute('data-repository')) ?? '');
      return out;
    };
    const all = await visible();
    expect(new Set(all)).toEqual(new Set(['acme/payments', 'acme/orders']));
    await page.selectOption('#filter-repository', 'acme/orders');
    const orders = await visible();
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((r) => r === 'acme/orders')).toBe(true);
    expect(await page.locator('#filter-count').innerText()).toMatch(
      /^Showing \d+ of \d+ maintenance items \(repository acme\/orders\)\.$/,
    );
    // Freezes apply to every repository: the repository filter leaves them.
    const freezes = page.locator('[data-filter-item="freeze"]');
    if ((await freezes.count()) > 0) expect(await freezes.first().isVisible()).toBe(true);
    await page.selectOption('#filter-environment', 'staging');
    expect(await visible()).toEqual([]);
    await page.selectOption('#filter-repository', 'acme/payments');
    expect((await visible()).length).toBeGreaterThan(0);
    await page.click('button[type="reset"]');
    await page.waitForFunction('document.getElementById("filter-repository").value === ""');
    expect((await visible()).length).toBe(all.length);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('has no serious accessibility violation in its conflicts and repositories sections', async () => {
    const { context, page } = await openPage(browser, url, { bypassCSP: true });
    expect(await axeViolations(page, '#conflicts')).toEqual([]);
    expect(await axeViolations(page, '#repositories')).toEqual([]);
    expect(await axeViolations(page, '#filters')).toEqual([]);
    await context.close();
  });
});
