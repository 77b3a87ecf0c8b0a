// `maint init --hub`: a repository set up as a hub has a configuration that parses (and names its
// schema), the hub workflow pinned like the others, the default policy, and says what to do next.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionPin } from '../../src/cli/action-pin.ts';
import { hubWorkflows } from '../../src/cli/workflow-templates.ts';
import { HUB_CONFIG_PATH, parseHubConfig } from '../../src/hub/config.ts';
import { parsePolicy } from '../../src/model/policy.ts';
import { cli, RELEASE_BUILD } from '../helpers/cli.ts';

describe('maint init --hub', () => {
  it('writes the hub configuration, its schema, the policy and the hub workflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-init-hub-'));
    const run = await cli(['init', '--hub'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const config = readFileSync(join(dir, HUB_CONFIG_PATH), 'utf8');
    expect(config).toMatch(/^# yaml-language-server: \$schema=maint\/schema\/hub\.schema\.json\n/);
    expect(parseHubConfig({ path: HUB_CONFIG_PATH, text: config }, 'acme').findings).toEqual([]);
    const schema = JSON.parse(readFileSync(join(dir, '.github/maint/schema/hub.schema.json'), 'utf8'));
    expect(schema.$id).toBe('https://maint-dev.github.io/maint/schema/v1/hub.schema.json');
    const policy = readFileSync(join(dir, '.github/maintenance-policy.yaml'), 'utf8');
    expect(parsePolicy({ path: 'p', text: policy }).policy).toBeDefined();
    const [[name, text]] = hubWorkflows(actionPin(undefined, RELEASE_BUILD)) as [[string, string]];
    expect(readFileSync(join(dir, '.github/workflows', name), 'utf8')).toBe(text);
    expect(text).toContain('uses: maint-dev/maint@0123456789abcdef0123456789abcdef01234567 # v1.2.3');
    // A hub is not a member: no request folder, no CODEOWNERS, no member workflows.
    expect(existsSync(join(dir, 'maintenance'))).toBe(false);
    expect(existsSync(join(dir, '.github/workflows/maintenance-validate.yml'))).toBe(false);
    expect(run.stdout).toContain('MAINT_HUB_APP_PRIVATE_KEY');
  });

  it('keeps an existing configuration unless --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-init-hub-'));
    await cli(['init', '--hub'], { cwd: dir });
    writeFileSync(join(dir, HUB_CONFIG_PATH), 'members: [acme/a]\n');
    expect((await cli(['init', '--hub'], { cwd: dir })).stdout).toContain(`kept     ${HUB_CONFIG_PATH}`);
    expect(readFileSync(join(dir, HUB_CONFIG_PATH), 'utf8')).toBe('members: [acme/a]\n');
    await cli(['init', '--hub', '--force'], { cwd: dir });
    expect(readFileSync(join(dir, HUB_CONFIG_PATH), 'utf8')).toContain('topic: maintenance');
  });
});
