import { describe, expect, it } from 'vitest';
import current from '../../docs/pipeline-templates.md?raw';
import { renderTemplateDocs } from './docs.ts';

describe('docs/pipeline-templates.md', () => {
  it('shows exactly the shipped templates (regenerate with tsx scripts/template-docs.ts)', () => {
    expect(renderTemplateDocs(current)).toBe(current);
  });
});
