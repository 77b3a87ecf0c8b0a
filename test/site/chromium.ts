// Headless Chromium for the site's browser tests: where it is, how it is launched (no network, no
// sandbox in containers), and a page opened with its uncaught errors and console errors collected.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { ROOT } from './examples.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_AVAILABLE = existsSync(CHROMIUM);
export const CHROMIUM_MISSING = `${CHROMIUM} is missing (apt-get install chromium): the schedule page was not opened in a browser`;
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const TEST_RESULTS = join(ROOT, 'test-results');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Opened {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors (CSP violations are console errors). */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { context, page, errors };
}

/** axe-core's serious and critical WCAG 2 A/AA violations (the context must bypass the page's CSP). */
export async function axeViolations(page: Page, selector = 'html'): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate<
    { violations: { id: string; impact: string; help: string; nodes: unknown[] }[] },
    string
  >(
    (context) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (globalThis as any).axe.run(context, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }),
    selector,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} nodes`);
}
