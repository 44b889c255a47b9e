import { describe, expect, it } from 'vitest';
import { uiImportViolations } from './ui-imports.ts';

describe('uiImportViolations', () => {
  it('allows statement-level type imports of worker code, and any import inside the UI or of a package', () => {
    const source = [
      "import type { WidgetSession } from '../../worker/widget/api-schemas.ts';",
      'import type {',
      '  WidgetHistory,',
      "} from '../../worker/widget/api-schemas.ts';",
      "export type { LlmNode } from '../../../worker/chatbots/definition.ts';",
      "import { render } from 'preact';",
      "import { state } from './store';",
    ].join('\n');
    expect(uiImportViolations('widget/src/client.ts', source)).toEqual([]);
  });

  it('refuses a deliberately wrong import: worker, plugin or test code as a value, inline `type` included', () => {
    const source = [
      "import { WidgetSessionSchema } from '../../worker/widget/api-schemas.ts';",
      "import { type Plugin } from '../../plugins/sdk/index.ts';",
      "export { seedDemo } from '../../test/seed.ts';",
      "import '../../worker/index.ts';",
      "const lazy = () => import('../../worker/http/app.ts');",
    ].join('\n');
    expect(uiImportViolations('widget/src/client.ts', source).map((v) => [v.line, v.specifier])).toEqual([
      [1, '../../worker/widget/api-schemas.ts'],
      [2, '../../plugins/sdk/index.ts'],
      [3, '../../test/seed.ts'],
      [4, '../../worker/index.ts'],
      [5, '../../worker/http/app.ts'],
    ]);
  });

  it('resolves paths from the importing file, so a UI folder of the same name is not mistaken for the worker', () => {
    expect(uiImportViolations('dashboard/src/views/x.tsx', "import { a } from '../worker/a';")).toEqual([]);
    expect(uiImportViolations('dashboard/src/x.ts', "import { a } from '../../worker/a';")).toHaveLength(1);
  });
});
