/** The model select's "Other…" entry: a model the provider does not list (a fine-tune, a new release). */
export const OTHER_MODEL = '__other__';

/** What the select shows for the saved `model`: a listed model, or "Other" with the model typed in. */
export function modelChoice(listed: string[], model: string): { selected: string; other: string } {
  if (model === '' && listed[0]) return { selected: listed[0], other: '' };
  return listed.includes(model) ? { selected: model, other: '' } : { selected: OTHER_MODEL, other: model };
}

/** The model to save from the select and the "other" text field. */
export const chosenModel = (selected: string, other: string) => (selected === OTHER_MODEL ? other.trim() : selected);
