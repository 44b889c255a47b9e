import { providerKeyNames } from './demo.ts';

/**
 * What `npm start` tells the developer about the demo chatbot's provider. The seed reads `.dev.vars` once, on the
 * first start: a key added later is not picked up by a seeded install, so saying "add a key and restart" would be
 * wrong. Null when there is nothing to say (the chatbot already uses a real provider).
 */
export function providerNotice(seededProviderId: string, variables: Record<string, string>): string | null {
  if (seededProviderId !== 'offline') return null;
  const found = providerKeyNames.find(([, name]) => (variables[name] ?? '').trim() !== '');
  if (!found) {
    return 'The demo chatbot uses the offline provider. For real answers add OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY to .dev.vars and run `npm run reset && npm start` (reseeds; erases local data), or add a credential in the dashboard (Credentials) and pick it in the chatbot’s settings.';
  }
  const [providerId, name] = found;
  return `${name} is in .dev.vars, but the demo was seeded before it and still uses the offline provider. To use ${providerId}: run \`npm run reset && npm start\` (reseeds with the key; erases local data), or keep your data and add the key in the dashboard (Credentials → ${providerId}) and pick it in the demo chatbot’s settings, then publish.`;
}
