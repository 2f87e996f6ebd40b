// The bundled demo ships in the npm package: the model (the exact file), its licence, and the problem it opens.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DEMO, DEMO_DIR } from '../../src/model/embedded/demo.js';
import { loadTask } from '../../src/tools/datasets.js';
import { PROJECT_ROOT } from '../../src/version.js';

describe('the bundled demo', () => {
  it('is the stories260K model, with its MIT licence, and one HumanEval problem', async () => {
    const sha = createHash('sha256').update(readFileSync(DEMO.modelPath)).digest('hex');
    expect(sha).toBe('270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d');
    expect(readFileSync(`${DEMO_DIR}/README.md`, 'utf8')).toMatch(/MIT License[\s\S]*Permission is hereby granted/);
    const task = await loadTask(DEMO.dataset, DEMO.problem);
    expect(task.ref.id).toBe('HumanEval/0');
  });

  it('is in the files npm packs', async () => {
    const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT });
    const files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    for (const path of [DEMO.modelPath, DEMO.dataset, `${DEMO_DIR}/README.md`]) expect(files).toContain(relative(PROJECT_ROOT, path));
  }, 60_000);
});
