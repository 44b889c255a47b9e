import type { PipelineEdge, PipelineNode } from '../pipelines/definition.ts';
import { laidOut } from './layout.ts';
import { type ChatbotTemplate, llmSettings, OFFLINE_MODEL, templateSettings } from './template.ts';

/** The participant data the intake collects, in the order it asks for them. */
export const INTAKE_FIELDS = [
  { key: 'name', description: 'The person’s full name', ask: 'my name' },
  { key: 'email', description: 'Their email address', ask: 'an email address you can reach me at' },
  { key: 'reason', description: 'Why they are contacting us, in a sentence', ask: 'why I am contacting you' },
] as const;

const fieldSchema = {
  type: 'object',
  properties: Object.fromEntries(
    INTAKE_FIELDS.map((field) => [
      field.key,
      field.key === 'email'
        ? { type: 'string', format: 'email', description: field.description }
        : { type: 'string', minLength: 1, description: field.description },
    ]),
  ),
  // Nothing is required: the model leaves out what the person did not say, and a missing key keeps its stored value.
  required: [],
  additionalProperties: false,
};

/**
 * One static router per field, in order: `has` leads to the next field's check, `missing` to an LLM that asks for
 * that field. The routers read participant data after the extraction's barrier, so this turn's answer counts.
 */
function fieldChecks(): { nodes: PipelineNode[]; edges: PipelineEdge[] } {
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  INTAKE_FIELDS.forEach((field, index) => {
    const check = `has_${field.key}`;
    const ask = `ask_${field.key}`;
    nodes.push(
      {
        id: check,
        kind: 'static_router',
        label: `Has ${field.key}?`,
        settings: {
          source: 'participant',
          key: field.key,
          rules: [{ port: 'has', operator: 'exists' }],
          defaultPort: 'missing',
        },
      },
      {
        id: ask,
        kind: 'llm',
        label: `Ask for ${field.key}`,
        settings: {
          ...llmSettings(
            'You run a short intake for Acme support: you need the person’s name, email address and reason for contacting us. Thank them briefly for what they told you, then ask for the one thing the last message names, in one friendly sentence.',
          ),
          // The node's input is the extraction's output; the prompt is this call's user content, after the conversation.
          prompt: `Reply to my last message, then ask me for ${field.ask}.`,
        },
      },
    );
    const next = INTAKE_FIELDS[index + 1];
    edges.push(
      { from: check, fromPort: 'has', to: next ? `has_${next.key}` : 'mark_done' },
      { from: check, fromPort: 'missing', to: ask },
      { from: ask, to: 'end' },
    );
  });
  return { nodes, edges };
}

const checks = fieldChecks();

/**
 * Intake bot: every turn extracts name, email and reason into participant data, then checks what is still missing.
 * The LLM asks for the first missing field; once all three are known, a template confirms them and set_state marks
 * the conversation's intake done (session state `intake_complete`), so later turns and the dashboard can see it.
 */
export const intakeTemplate: ChatbotTemplate = {
  id: 'intake',
  name: 'Intake bot',
  description:
    'Asks for a name, an email address and a reason until all three are in the participant’s data, then confirms them and marks the intake complete.',
  kinds: ['update_participant_data', 'static_router', 'llm', 'template', 'set_state'],
  definition: laidOut({
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      {
        id: 'extract',
        kind: 'update_participant_data',
        label: 'Remember name, email, reason',
        settings: {
          ...OFFLINE_MODEL,
          instructions:
            'Extract the person’s name, email address and reason for contacting us from their latest message. Leave out anything they did not say.',
          schema: fieldSchema,
        },
        retry: { attempts: 2, backoffMs: 500 },
      },
      ...checks.nodes,
      {
        id: 'mark_done',
        kind: 'set_state',
        label: 'Mark intake complete',
        settings: { operations: [{ op: 'assign', scope: 'session', key: 'intake_complete', value: true }] },
      },
      {
        id: 'confirm',
        kind: 'template',
        label: 'Confirm',
        settings: {
          template:
            'Thanks, {{ participant_data.name }}! We have your email as {{ participant_data.email }} and you are contacting us about: {{ participant_data.reason }}. A member of the team will be in touch.',
        },
      },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'extract' },
      { from: 'extract', to: 'has_name' },
      ...checks.edges,
      { from: 'mark_done', to: 'confirm' },
      { from: 'confirm', to: 'end' },
    ],
    settings: templateSettings(
      'Hello! I’ll take a few details so the right person can help you. What’s your name?',
      [],
      'Sorry, something went wrong. Please send your message again.',
    ),
  }),
};
