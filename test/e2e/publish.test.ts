// End to end: the bundled action in mode publish, on a push to the default branch, over a checkout
// (GITHUB_WORKSPACE) of the examples, linking result issues found through the local API server.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeStateMarker } from '../../src/lifecycle/marker.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { runAction, webhookExample } from './run-action.ts';

let server: GitHubServer;
afterEach(async () => {
  expect(server.violations).toEqual([]);
  await server.close();
});

describe('mode: publish', () => {
  it('writes the site from the checkout and links the result issues', async () => {
    server = await startGitHubServer();
    server.seed.repo('acme/ops', { files: { 'README.md': '# ops\n' } });
    server.seed.issue('acme/ops', {
      title: '[PRODUCTION] Maintenance: Orders database schema migration',
      labels: ['maintenance'],
      body: `Result issue\n\n${encodeStateMarker('orders-schema-migration', { state: 'announced', done: ['announce'] })}`,
    });
    const workspace = mkdtempSync(join(tmpdir(), 'maint-workspace-'));
    cpSync('maintenance', join(workspace, 'maintenance'), { recursive: true });
    const payload = webhookExample('push');
    const run = await runAction({
      apiUrl: server.url,
      repository: 'acme/ops',
      eventName: 'push',
      payload,
      inputs: { mode: 'publish', token: 'ghs_test' },
      workspace,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ site: 'site', url: 'https://acme.github.io/ops/' });
    for (const file of ['index.html', 'maintenance.ics', 'env/production.ics', 'freezes.ics'])
      expect(existsSync(join(workspace, 'site', file)), file).toBe(true);
    const feed = readFileSync(join(workspace, 'site/maintenance.ics'), 'utf8').replace(/\r\n /g, '');
    expect(feed).toMatch(/Result issue: https:\/\/github\.com\/acme\/ops\/issues\/\d+/);
    expect(run.summary).toMatch(/Published \d+ files to `site\/`/);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
  });
});
