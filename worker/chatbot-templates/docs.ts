import { chatbotTemplates } from './catalog.ts';
import { URGENCY_CODE } from './triage.ts';

/** docs/pipeline-templates.md's generated blocks (scripts/template-docs.ts writes them; docs.unit.test.ts checks). */
const CODE_START = '<!-- template:triage-code:start -->';
const CODE_END = '<!-- template:triage-code:end -->';

const between = (text: string, start: string, end: string, body: string) => {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) throw new Error(`markers ${start} … ${end} are missing`);
  return `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`;
};

/** The page with every marked block filled in from the templates. */
export function renderTemplateDocs(current: string): string {
  let text = current;
  for (const template of chatbotTemplates) {
    // Canvas positions (`ui`, laid out by layout.ts) are left out: they say nothing about what the bot does.
    const definition = { ...template.definition, nodes: template.definition.nodes.map(({ ui: _ui, ...node }) => node) };
    const json = JSON.stringify(definition, null, 2);
    text = between(
      text,
      `<!-- template:${template.id}:start -->`,
      `<!-- template:${template.id}:end -->`,
      `\`\`\`json\n${json}\n\`\`\``,
    );
  }
  return between(text, CODE_START, CODE_END, `\`\`\`js\n${URGENCY_CODE.trimEnd()}\n\`\`\``);
}
