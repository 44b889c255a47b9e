import { laidOut } from './layout.ts';
import { type ChatbotTemplate, llmSettings, templateSettings } from './template.ts';

/**
 * The triage bot's scoring, run by the code node in the sandbox. Plain keyword weights, so an admin can read and
 * tune it; `main` returns the level the static router routes on. Kept as a string: it is the node's stored setting.
 */
export const URGENCY_CODE = `// Scores how urgent the customer's message is from keywords; returns "high", "medium" or "low".
const HIGH = ['urgent', 'emergency', 'asap', 'immediately', 'outage', 'is down', 'security', 'breach', 'hacked', 'data loss'];
const MEDIUM = ['broken', 'error', 'not working', 'cannot', "can't", 'failed', 'refund', 'wrong'];

function main(input) {
  const text = String(input).toLowerCase();
  const count = (words) => words.filter((word) => text.includes(word)).length;
  const score = 3 * count(HIGH) + count(MEDIUM) + (text.includes('!!') ? 1 : 0);
  if (score >= 3) return 'high';
  if (score >= 1) return 'medium';
  return 'low';
}
`;

/** Where escalations go until the admin changes it (example.com never delivers). */
export const ESCALATION_ADDRESS = 'oncall@example.com';

/**
 * Triage bot: a code node scores the message's urgency, a static router routes on the level. High urgency emails
 * the team and tells the user so; anything else gets an LLM answer. The user's message is kept in a run key beside
 * the scoring (a parallel set_state off start), so the email can quote it.
 */
export const triageTemplate: ChatbotTemplate = {
  id: 'triage',
  name: 'Triage bot',
  description:
    'A code node scores each message’s urgency from keywords; urgent ones are emailed to the team with an acknowledgement to the user, the rest get an LLM answer.',
  kinds: ['code', 'static_router', 'send_email', 'set_state', 'template', 'llm'],
  definition: laidOut({
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      {
        id: 'keep_message',
        kind: 'set_state',
        label: 'Keep the message for the email',
        settings: { operations: [{ op: 'assign', scope: 'run', key: 'message' }] },
      },
      { id: 'score', kind: 'code', label: 'Score urgency', settings: { code: URGENCY_CODE } },
      {
        id: 'urgency',
        kind: 'static_router',
        label: 'Urgent?',
        settings: {
          source: 'input',
          rules: [{ port: 'high', operator: 'equals', value: 'high' }],
          defaultPort: 'normal',
          tagRoute: true,
        },
      },
      {
        id: 'escalate',
        kind: 'send_email',
        label: 'Email the team',
        settings: {
          to: ESCALATION_ADDRESS,
          subject: 'Urgent support request',
          body: 'A conversation was triaged as urgent.\n\nThe customer wrote:\n{{ run_input }}',
        },
        // Sending is idempotent per run and node (the key has no attempt), so a retry never emails twice.
        retry: { attempts: 3, backoffMs: 1_000 },
      },
      {
        id: 'acknowledge',
        kind: 'template',
        label: 'Tell the user',
        settings: {
          template:
            'This sounds urgent, so I have alerted our on-call team. A person will contact you shortly; you can keep adding details here meanwhile.',
        },
      },
      // The router passes on the level; the LLM should read the user's message, kept in a run key by keep_message.
      {
        id: 'question',
        kind: 'template',
        label: 'The user’s message',
        settings: { template: '{{ temp_state.message }}' },
      },
      {
        id: 'answer',
        kind: 'llm',
        label: 'Answer',
        settings: llmSettings(
          'You are Acme’s support assistant. Answer the customer’s question helpfully in at most four sentences. If you cannot solve it, say that a person will follow up by email.',
        ),
      },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'keep_message' },
      { from: 'start', to: 'score' },
      { from: 'score', to: 'urgency' },
      { from: 'urgency', fromPort: 'high', to: 'escalate' },
      { from: 'urgency', fromPort: 'normal', to: 'question' },
      { from: 'question', to: 'answer' },
      { from: 'escalate', to: 'acknowledge' },
      { from: 'acknowledge', to: 'end' },
      { from: 'answer', to: 'end' },
    ],
    settings: templateSettings(
      'Hi! Tell me what is going on and I will make sure it reaches the right people.',
      ['Our site is down, this is urgent!', 'How do I change my password?'],
      'Sorry, something went wrong. If this is urgent, email oncall@example.com.',
    ),
  }),
};
