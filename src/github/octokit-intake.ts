// The Octokit side of the IntakeWriter port: the issue, the branch (git refs), the request file
// (contents API) and the pull request intake makes. Writes that GitHub may have done before a
// timeout are not retried; the next run of the issue finds what exists and goes on from there.
import type { IntakePull, IntakeWriter, SubmittedIssue } from './port.ts';
import { call } from './api-call.ts';
import type { Octokit } from './octokit.ts';

const status = (error: unknown) => (error as { status?: number }).status;

export function createIntakeWriter(octokit: Octokit, base: { owner: string; repo: string }): IntakeWriter {
  const toPull = (pr: {
    number: number;
    state: string;
    merged_at: string | null;
    html_url: string;
  }): IntakePull => ({
    number: pr.number,
    state: pr.state === 'closed' ? 'closed' : 'open',
    merged: pr.merged_at !== null,
    htmlUrl: pr.html_url,
  });

  const branchHead = (branch: string) =>
    call('GET /repos/{owner}/{repo}/git/ref/{ref}', async () => {
      try {
        const { data } = await octokit.rest.git.getRef({ ...base, ref: `heads/${branch}` });
        return data.object.sha;
      } catch (error) {
        if (status(error) === 404) return undefined;
        throw error;
      }
    });

  return {
    submittedIssue: (number) =>
      call('GET /repos/{owner}/{repo}/issues/{issue_number}', async (): Promise<SubmittedIssue> => {
        const { data } = await octokit.rest.issues.get({ ...base, issue_number: number });
        return {
          number: data.number,
          title: data.title,
          body: data.body ?? '',
          author: data.user?.login ?? 'ghost',
          state: data.state === 'closed' ? 'closed' : 'open',
          labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
          htmlUrl: data.html_url,
        };
      }),

    branchHead,

    createBranch: (branch, sha) =>
      call('POST /repos/{owner}/{repo}/git/refs', async () => {
        try {
          await octokit.rest.git.createRef({
            ...base,
            ref: `refs/heads/${branch}`,
            sha,
            request: { retries: 0 },
          });
        } catch (error) {
          // 422 "Reference already exists": an earlier run made it; it is used as it is.
          if (status(error) === 422 && (await branchHead(branch)) !== undefined) return;
          throw error;
        }
      }),

    fileWithSha: (path, ref) =>
      call('GET /repos/{owner}/{repo}/contents/{path}', async () => {
        try {
          const { data } = await octokit.rest.repos.getContent({ ...base, path, ref });
          if (Array.isArray(data) || data.type !== 'file' || data.encoding !== 'base64') return undefined;
          return { text: Buffer.from(data.content, 'base64').toString('utf8'), sha: data.sha };
        } catch (error) {
          if (status(error) === 404) return undefined;
          throw error;
        }
      }),

    commitFile: (change) =>
      call('PUT /repos/{owner}/{repo}/contents/{path}', async () => {
        const { data } = await octokit.rest.repos.createOrUpdateFileContents({
          ...base,
          path: change.path,
          branch: change.branch,
          message: change.message,
          content: Buffer.from(change.text, 'utf8').toString('base64'),
          ...(change.sha ? { sha: change.sha } : {}),
          request: { retries: 0 },
        });
        return data.commit.sha ?? '';
      }),

    pullForBranch: (branch) =>
      call('GET /repos/{owner}/{repo}/pulls', async () => {
        const { data } = await octokit.rest.pulls.list({
          ...base,
          state: 'all',
          head: `${base.owner}:${branch}`,
          sort: 'created',
          direction: 'desc',
          per_page: 10,
        });
        return data[0] ? toPull(data[0]) : undefined;
      }),

    openPull: (pull) =>
      call('POST /repos/{owner}/{repo}/pulls', async () => {
        const { data } = await octokit.rest.pulls.create({ ...base, ...pull, request: { retries: 0 } });
        return toPull(data);
      }),

    updatePull: (number, change) =>
      call('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', async () => {
        await octokit.rest.pulls.update({ ...base, pull_number: number, ...change });
      }),
  };
}
