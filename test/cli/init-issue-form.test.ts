// `maint init` writes the request issue form for the policy the repository ends up with, and the
// intake workflow acts on the label that form puts on its issues.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { consumerWorkflows } from '../../src/cli/workflow-templates.ts';
import { formFieldsOf, INTAKE_LABEL, ISSUE_FORM_PATH, renderIssueForm } from '../../src/intake/form.ts';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { cli } from '../helpers/cli.ts';

/** A pinned action as a release's `maint init` writes it. */
const RELEASE_PIN = 'maint-dev/maint@0123456789abcdef0123456789abcdef01234567 # v1.2.3';

describe('maint init and the issue form', () => {
  it('writes the form for the default policy, and keeps it on the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-init-form-'));
    const first = await cli(['init'], { cwd: dir });
    expect(first.stdout).toContain(`wrote    ${ISSUE_FORM_PATH}`);
    expect(readFileSync(join(dir, ISSUE_FORM_PATH), 'utf8')).toBe(
      renderIssueForm({ environments: ['production', 'staging', 'development'], timezone: 'UTC' }),
    );
    expect((await cli(['init'], { cwd: dir })).stdout).toContain(`kept     ${ISSUE_FORM_PATH}`);
  });

  it('lists the environments and zone of a policy the repository already has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-init-form-'));
    mkdirSync(join(dir, '.github'));
    const policy = DEFAULT_POLICY_YAML.replace(
      'timezone: UTC # the zone',
      'timezone: Europe/Berlin # the zone',
    )
      .replace('  staging:\n', '  eu-staging:\n')
      .replace(/environments: \[production, staging\]/g, 'environments: [production, eu-staging]');
    writeFileSync(join(dir, '.github/maintenance-policy.yaml'), policy);
    const init = await cli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    const fields = formFieldsOf(readFileSync(join(dir, ISSUE_FORM_PATH), 'utf8'));
    expect(fields?.find((f) => f.id === 'environment')?.options).toEqual([
      'production',
      'eu-staging',
      'development',
    ]);
    expect(readFileSync(join(dir, ISSUE_FORM_PATH), 'utf8')).toContain('value: Europe/Berlin');
  });

  it('the intake workflow runs for the label the form gives, and validation can be dispatched', () => {
    const workflows = Object.fromEntries(consumerWorkflows(RELEASE_PIN));
    const intake = parse(workflows['maintenance-intake.yml']!) as {
      on: { issues: { types: string[] } };
      jobs: { intake: { if: string; permissions: Record<string, string> } };
    };
    expect(intake.on.issues.types).toEqual(['opened', 'edited']);
    expect(intake.jobs.intake.if).toBe(`contains(github.event.issue.labels.*.name, '${INTAKE_LABEL}')`);
    expect(intake.jobs.intake.permissions).toEqual({
      contents: 'write',
      'pull-requests': 'write',
      issues: 'write',
      actions: 'write',
    });
    const validate = parse(workflows['maintenance-validate.yml']!) as {
      on: { workflow_dispatch: { inputs: Record<string, unknown> } };
    };
    expect(Object.keys(validate.on.workflow_dispatch.inputs)).toEqual(['pull_request']);
  });
});
