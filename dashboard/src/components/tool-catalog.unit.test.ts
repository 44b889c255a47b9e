import { describe, expect, it } from 'vitest';
import { chosenFunctions, groupedTools, missingIds, type ToolCatalog, toggleTool } from './tool-catalog';

const catalog: ToolCatalog = {
  groups: [
    { id: 'builtin:calculator', kind: 'builtin', title: 'Calculator', description: 'Arithmetic' },
    { id: 'mcp:m1', kind: 'mcp', title: 'Fake tools', description: 'An MCP server' },
  ],
  tools: [
    {
      id: null,
      kind: 'builtin',
      name: 'calculate',
      description: 'Evaluates',
      parameters: {},
      group: 'builtin:calculator',
    },
    { id: 'mcp:m1/echo', kind: 'mcp', name: 'echo', description: 'Echoes text', parameters: {}, group: 'mcp:m1' },
    { id: 'mcp:m1/fail', kind: 'mcp', name: 'fail', description: 'Always fails', parameters: {}, group: 'mcp:m1' },
  ],
};

describe('tool catalog helpers', () => {
  it('groups functions under their set and searches titles, names and descriptions', () => {
    expect(groupedTools(catalog).map((view) => [view.group.id, view.tools.map((t) => t.name)])).toEqual([
      ['builtin:calculator', ['calculate']],
      ['mcp:m1', ['echo', 'fail']],
    ]);
    expect(groupedTools(catalog, 'ECHOES').map((view) => [view.group.id, view.tools.map((t) => t.name)])).toEqual([
      ['mcp:m1', ['echo']],
    ]);
    // A matching group shows all its functions.
    expect(groupedTools(catalog, 'fake')[0]?.tools).toHaveLength(2);
    expect(groupedTools(catalog, 'nothing like it')).toEqual([]);
  });

  it('keeps unknown ids as missing rather than dropping them', () => {
    expect(missingIds(catalog, ['builtin:calculator', 'mcp:m1/echo', 'mcp:gone', 'builtin:nope'])).toEqual([
      'mcp:gone',
      'builtin:nope',
    ]);
  });

  it('lists the functions the chosen ids give, for the approval list', () => {
    expect(chosenFunctions(catalog, ['mcp:m1/fail'])).toEqual(['fail']);
    expect(chosenFunctions(catalog, ['mcp:m1', 'builtin:calculator'])).toEqual(['calculate', 'echo', 'fail']);
  });

  it('choosing a whole set drops its single tools; unticking removes just that id', () => {
    expect(toggleTool(catalog, ['mcp:m1/echo', 'clock'], 'mcp:m1', true)).toEqual(['clock', 'mcp:m1']);
    expect(toggleTool(catalog, ['mcp:m1/echo', 'clock'], 'clock', false)).toEqual(['mcp:m1/echo']);
  });
});
