/**
 * The chatbot's model, picked from the models the provider lists (GET /api/v1/providers/{id}/models) with an
 * "Other…" entry, and its parameters as a form generated from the provider's parameter schema for that model
 * (GET /api/v1/providers/{id}/parameters): number fields with the schema's ranges instead of a JSON box.
 */
import { useEffect, useState } from 'preact/hooks';
import { SchemaFields } from '../../components/SchemaForm';
import { get, query } from '../../lib/http';
import { useResource } from '../../lib/resource';
import type { JsonSchema } from '../../lib/types';
import { modelChoice, OTHER_MODEL } from './model-choice';

export function ModelPicker({
  providerId,
  credentialId,
  value,
  onModel,
}: {
  providerId: string;
  credentialId: string;
  value: string;
  onModel: (model: string) => void;
}) {
  const [models] = useResource(
    (signal) =>
      get<{ data: { id: string; displayName: string }[] }>(
        `/api/v1/providers/${providerId}/models${query({ credentialId: credentialId || undefined })}`,
        { signal },
      ),
    [providerId, credentialId],
  );
  const listed = models.status === 'ready' ? models.value.data : [];
  const initial = modelChoice(
    listed.map((m) => m.id),
    value,
  );
  const [selected, setSelected] = useState(initial.selected);
  const [other, setOther] = useState(initial.other);
  // Once the list arrives, show the saved model in it (or under Other).
  useEffect(() => {
    const choice = modelChoice(
      listed.map((m) => m.id),
      value,
    );
    setSelected(choice.selected);
    setOther(choice.other);
  }, [models.status, value]);
  useEffect(() => onModel(selected === OTHER_MODEL ? other.trim() : selected), [selected, other]);
  return (
    <>
      <label>
        Model
        <select name="model" value={selected} onChange={(e) => setSelected((e.target as HTMLSelectElement).value)}>
          {listed.map((model) => (
            <option key={model.id} value={model.id}>
              {model.displayName === model.id ? model.id : `${model.displayName} (${model.id})`}
            </option>
          ))}
          <option value={OTHER_MODEL}>Other…</option>
        </select>
        {models.status === 'error' && <span class="field-hint">Couldn't list models: {models.error.message}</span>}
      </label>
      {selected === OTHER_MODEL && (
        <label>
          Model id
          <input
            name="modelOther"
            required
            maxLength={200}
            value={other}
            onInput={(e) => setOther((e.target as HTMLInputElement).value)}
          />
        </label>
      )}
    </>
  );
}

/** The parameter form for `model`; `onSchema` hands the schema to the form's submit, which reads the fields back. */
export function ParameterFields({
  providerId,
  model,
  values,
  onSchema,
}: {
  providerId: string;
  model: string;
  values: Record<string, unknown>;
  onSchema: (schema: JsonSchema | null) => void;
}) {
  const [state] = useResource(
    (signal) =>
      model
        ? get<{ schema: JsonSchema }>(`/api/v1/providers/${providerId}/parameters${query({ model })}`, { signal })
        : Promise.resolve({ schema: {} as JsonSchema }),
    [providerId, model],
  );
  const schema = state.status === 'ready' ? state.value.schema : null;
  useEffect(() => onSchema(schema), [schema]);
  if (!schema || Object.keys(schema.properties ?? {}).length === 0) return null;
  return (
    <fieldset class="form parameters">
      <legend>Model parameters</legend>
      <div class="grid-3">
        <SchemaFields schema={schema} values={values} prefix="parameters." />
      </div>
    </fieldset>
  );
}
