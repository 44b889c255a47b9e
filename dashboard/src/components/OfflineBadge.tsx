import { useId } from 'preact/hooks';

/**
 * Marks a chatbot whose provider answers without an LLM, so nobody mistakes canned replies for a model's. The badge
 * is a button only so keyboard users can focus it and read the tooltip; it has no action.
 */
export function OfflineBadge() {
  const id = useId();
  return (
    <span class="has-tooltip">
      <button type="button" class="badge offline" aria-describedby={id}>
        Offline — no LLM
      </button>
      <span class="tooltip" role="tooltip" id={id}>
        Replies are canned: this chatbot uses the offline demo provider and no language model is called. Configure an
        API key for an LLM provider plugin and switch the chatbot to it to get real answers.
      </span>
    </span>
  );
}
