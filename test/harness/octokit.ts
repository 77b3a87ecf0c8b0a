// An @octokit/rest client for the test server that keeps octokit's request logging out of test output.
import { Octokit } from '@octokit/rest';
import type { GitHubServer } from './github-server.ts';

export const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** `token: null` makes an anonymous client. */
export function testOctokit(server: Pick<GitHubServer, 'url'>, token: string | null = 'ghs_test'): Octokit {
  return new Octokit({ baseUrl: server.url, log: quietLog, ...(token !== null ? { auth: token } : {}) });
}
