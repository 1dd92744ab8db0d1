/**
 * The layering is enforced by ESLint, and this test proves the rules bite: the app may use
 * the engine only through algorithms/index.ts, and the engine (algorithms/sim) imports
 * nothing above it. Each case lints a one-line file at a path inside the project.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  it('the app may not import an engine internal', async () => {
    const errs = await importErrors(
      'app/panels/Fixture.ts',
      "import { step } from '../../algorithms/sim/world';\nvoid step;\n",
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/algorithms\/index\.ts/);
    expect(
      await importErrors(
        'app/panels/Fixture.ts',
        "import { narrate } from '../../algorithms/narration';\nvoid narrate;\n",
      ),
    ).toHaveLength(1);
  });

  it('the app may import the public API', async () => {
    expect(
      await importErrors(
        'app/panels/Fixture.ts',
        "import { createSimulation } from '../../algorithms/index';\nvoid createSimulation;\n",
      ),
    ).toEqual([]);
  });

  it('the engine may not import from above it', async () => {
    for (const target of ['../scenario/schema', '../registry', '../raft/model', '../index'])
      expect(
        await importErrors(
          'algorithms/sim/fixture.ts',
          `import { x } from '${target}';\nvoid x;\n`,
        ),
        target,
      ).toHaveLength(1);
    expect(
      await importErrors('algorithms/sim/fixture.ts', "import { x } from './world';\nvoid x;\n"),
    ).toEqual([]);
  });
});
