import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSnapshot, parseSnapshot } from '../../src/approvals/snapshot.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/approvals/snapshots/${name}`, import.meta.url), 'utf8');
const valid = () =>
  JSON.parse(fixture('high-impact-approved.json')) as Record<string, unknown> & {
    files: Record<string, unknown>[];
    reviews: Record<string, unknown>[];
    teams: Record<string, unknown>;
  };

describe('checkSnapshot', () => {
  it('accepts a snapshot as the action gathers it', () => {
    const checked = parseSnapshot(fixture('high-impact-approved.json'));
    expect(checked.errors).toBeUndefined();
    expect(checked.snapshot?.files[0]?.request).toEqual({ impact: 'high', type: 'standard' });
  });

  it.each<[string, (s: ReturnType<typeof valid>) => void, RegExp]>([
    [
      'a missing field',
      (s) => delete s.author,
      /^missing required field `author` \(login of the pull request author\)$/,
    ],
    ['a misspelt field', (s) => (s.reveiws = []), /^unknown field `reveiws`; did you mean `reviews`\?$/],
    [
      'a file status GitHub does not use',
      (s) => (s.files[1]!.status = 'deleted'),
      /^`files\[1\]\.status` must be one of added, removed, .*; got `deleted`/,
    ],
    [
      'an unknown impact',
      (s) => (s.files[0]!.request = { impact: 'critical', type: 'standard' }),
      /^`files\[0\]\.request\.impact` must be one of low, medium, high; got `critical`/,
    ],
    [
      'a review state with a typo',
      (s) => (s.reviews[0]!.state = 'APPROVE'),
      /^`reviews\[0\]\.state` must be one of .*; got `APPROVE`; did you mean `APPROVED`\?$/,
    ],
    [
      'a date that is not ISO 8601',
      (s) => (s.reviews[0]!.submitted_at = '5 Jan 2027'),
      /^`reviews\[0\]\.submitted_at` `5 Jan 2027` is not a valid date-time$/,
    ],
    [
      'a submitted review without a date',
      (s) => (s.reviews[0]!.submitted_at = null),
      /^`reviews\[0\]\.submitted_at` is required unless the review is PENDING$/,
    ],
    [
      'team members that are not a list',
      (s) => (s.teams['org/sre'] = 'grace'),
      /^`teams\.org\/sre` must be a list .* or null; got `grace`$/,
    ],
    [
      'a team written with @',
      (s) => (s.teams['@org/sre'] = []),
      /^`teams` key `@org\/sre` must be a team written org\/slug, without @$/,
    ],
    [
      'a file changed in a commit outside the pull request',
      (s) => (s.files[0]!.last_changed_commit = 'sha9'),
      /^`files\[0\]\.last_changed_commit` `sha9` is not one of `commits`$/,
    ],
    [
      'the same commit twice',
      (s) => (s.commits = ['sha1', 'sha1', 'sha2', 'sha3']),
      /^`commits` lists the same value twice/,
    ],
    [
      'the same file twice',
      (s) => s.files.push({ ...s.files[0]! }),
      /^`files\[2\]\.filename` `maintenance\/2027\/db-upgrade\.yaml` is listed twice \(also files\[0\]\)$/,
    ],
    ['writers that are not a list', (s) => (s.writers = 'bob'), /^`writers` must be a list .*; got `bob`$/],
    [
      'a team not found whose members are listed',
      (s) => (s.teams_not_found = ['org/sre']),
      /^`teams_not_found` names `org\/sre`, which `teams` must then list as null$/,
    ],
  ])('names the field: %s', (_name, mutate, message) => {
    const snapshot = valid();
    mutate(snapshot);
    const checked = checkSnapshot(snapshot);
    expect(checked.errors).toBeDefined();
    expect(checked.errors).toHaveLength(1);
    expect(checked.errors![0]).toMatch(message);
  });

  it('lists every error at once', () => {
    expect(parseSnapshot(fixture('invalid-fields.json')).errors).toHaveLength(3);
  });

  it('says when the text is not JSON', () => {
    expect(parseSnapshot(fixture('not-json.txt')).errors?.[0]).toMatch(/^not valid JSON: /);
  });
});
