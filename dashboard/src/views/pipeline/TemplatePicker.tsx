/**
 * "New chatbot from a template": the pipeline templates of `GET /api/v1/chatbot-templates`, each with a drawing of
 * its graph. Choosing one sends its id as `templateId` with the create request (the chatbot list owns the form).
 */
import { ErrorBanner, Loading } from '../../components/feedback';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import type { ChatbotTemplate } from './api-types';
import { GraphPreview } from './GraphPreview';

export function TemplatePicker({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const [state, reload] = useResource(
    (signal) => get<{ data: ChatbotTemplate[] }>('/api/v1/chatbot-templates', { signal }),
    [],
  );
  if (state.status === 'loading') return <Loading what="templates" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load templates" error={state.error} onRetry={reload} />;
  return (
    <fieldset class="template-grid plain">
      <legend class="visually-hidden">Templates</legend>
      <button type="button" class="template-card" aria-pressed={value === null} onClick={() => onChange(null)}>
        <strong>Blank</strong>
        <span class="muted small">Start → LLM → end on the offline provider.</span>
      </button>
      {state.value.data.map((template) => (
        <button
          key={template.id}
          type="button"
          class="template-card"
          aria-pressed={value === template.id}
          data-template={template.id}
          onClick={() => onChange(template.id)}
        >
          <strong>{template.name}</strong>
          <span class="muted small">{template.description}</span>
          <GraphPreview definition={template.definition} label={`Graph of the ${template.name} template`} />
        </button>
      ))}
    </fieldset>
  );
}
