import { laidOut } from './layout.ts';
import { type ChatbotTemplate, llmSettings, OFFLINE_MODEL, templateSettings } from './template.ts';

/**
 * FAQ bot: an LLM router picks the topic, each topic has its own LLM with its own prompt, and anything else gets a
 * fixed reply instead of a guess. The router's reply is tagged with its route, so the transcript shows the topic.
 */
export const faqTemplate: ChatbotTemplate = {
  id: 'faq',
  name: 'FAQ bot',
  description:
    'An LLM router sends each question to a billing or a shipping answer, each with its own prompt; any other question gets a fixed fallback reply.',
  kinds: ['llm_router', 'llm', 'reply'],
  definition: laidOut({
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      {
        id: 'topic',
        kind: 'llm_router',
        label: 'Which topic?',
        settings: {
          ...OFFLINE_MODEL,
          prompt:
            'Classify the customer’s latest message into one topic: billing (invoices, payments, refunds, prices), shipping (delivery, tracking, returns of parcels) or other.',
          routes: [
            { name: 'billing', description: 'Invoices, payments, refunds, prices, subscriptions' },
            { name: 'shipping', description: 'Delivery times, tracking, lost or damaged parcels' },
            { name: 'other', description: 'Anything else' },
          ],
          defaultRoute: 'other',
          tagReply: true,
        },
        retry: { attempts: 2, backoffMs: 500 },
      },
      {
        id: 'billing',
        kind: 'llm',
        label: 'Billing answer',
        settings: llmSettings(
          'You answer billing questions for Acme: invoices are emailed on the 1st of each month, payment is by card or bank transfer, refunds take 5–10 business days. Answer in at most three sentences; if you are unsure, say that a person will follow up.',
        ),
      },
      {
        id: 'shipping',
        kind: 'llm',
        label: 'Shipping answer',
        settings: llmSettings(
          'You answer shipping questions for Acme: orders ship within 2 business days, delivery takes 3–5 days, every order has a tracking link in its confirmation email. Answer in at most three sentences.',
        ),
      },
      {
        id: 'fallback',
        kind: 'reply',
        label: 'Fallback reply',
        settings: {
          text: 'I can answer questions about billing and shipping. For anything else, please write to support@example.com and a person will get back to you.',
        },
      },
      { id: 'end', kind: 'end', settings: {} },
      // The fallback has already replied; this end only closes its branch.
      { id: 'end_fallback', kind: 'end', settings: { reply: false } },
    ],
    edges: [
      { from: 'start', to: 'topic' },
      { from: 'topic', fromPort: 'billing', to: 'billing' },
      { from: 'topic', fromPort: 'shipping', to: 'shipping' },
      { from: 'topic', fromPort: 'other', to: 'fallback' },
      { from: 'billing', to: 'end' },
      { from: 'shipping', to: 'end' },
      { from: 'fallback', to: 'end_fallback' },
    ],
    settings: templateSettings(
      'Hi! Ask me about billing or shipping.',
      ['When will my order arrive?', 'How do I get a refund?'],
      'Sorry, something went wrong. Please try again in a moment.',
    ),
  }),
};
