/** A field's error from the API, under the field and tied to it (`aria-describedby`), as the forms show them. */
export type Errors = ReadonlyMap<string, string>;

const idOf = (scope: string, key: string) => `err-${scope}-${key}`.replace(/[^a-zA-Z0-9_-]/g, '-');

/** The attributes that mark a field invalid and point at its message; none when the field has no error. */
export function invalid(errors: Errors, scope: string, key: string) {
  return errors.has(key) ? { 'aria-invalid': true, 'aria-describedby': idOf(scope, key) } : {};
}

export function FieldError({ errors, scope, at }: { errors: Errors; scope: string; at: string }) {
  const message = errors.get(at);
  if (!message) return null;
  return (
    <span class="field-error" id={idOf(scope, at)}>
      {message}
    </span>
  );
}
