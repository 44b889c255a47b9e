import { useState } from 'preact/hooks';
import type { Spec } from './api';

export type SourceMode = 'text' | 'upload' | 'url';

/** The API's spec cap is 1,000,000 characters of text (worker/custom-actions/schemas.ts MAX_SPEC_TEXT_CHARS). */
const MAX_UPLOAD_BYTES = 1_000_000;

/** The spec to send, or null when nothing has been given yet. An upload is read into `text` (the API has no file). */
export function specOf(mode: SourceMode, text: string, url: string): Spec | null {
  if (mode === 'url') return url.trim() === '' ? null : { source: 'url', url: url.trim() };
  return text.trim() === '' ? null : { source: 'text', text };
}

/** Paste, upload (the file is read as text in the browser) or URL. */
export function SpecSource({
  mode,
  text,
  url,
  onChange,
}: {
  mode: SourceMode;
  text: string;
  url: string;
  onChange: (next: { mode?: SourceMode; text?: string; url?: string }) => void;
}) {
  const [fileNote, setFileNote] = useState<string | null>(null);
  async function readFile(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      setFileNote(`${file.name} is larger than 1 MB: give its URL instead.`);
      return;
    }
    onChange({ text: await file.text() });
    setFileNote(`Read ${file.name} (${file.size.toLocaleString()} bytes).`);
  }
  return (
    <fieldset class="spec-source">
      <legend>OpenAPI spec (3.0 or 3.1, JSON or YAML)</legend>
      <div class="row" role="radiogroup" aria-label="Spec source">
        {(
          [
            ['text', 'Paste'],
            ['upload', 'Upload a file'],
            ['url', 'From a URL'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} class="checkbox">
            <input
              type="radio"
              name="spec-source"
              checked={mode === value}
              onChange={() => onChange({ mode: value })}
            />
            {label}
          </label>
        ))}
      </div>
      {mode === 'text' && (
        <label>
          Spec text
          <textarea
            class="code"
            rows={10}
            spellcheck={false}
            value={text}
            placeholder={'openapi: 3.0.3\ninfo: {title: Pets, version: "1.0"}\npaths: …'}
            onInput={(e) => onChange({ text: (e.target as HTMLTextAreaElement).value })}
          />
        </label>
      )}
      {mode === 'upload' && (
        <label>
          Spec file
          <input
            type="file"
            accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
            onChange={(e) => void readFile((e.target as HTMLInputElement).files?.[0])}
          />
          {fileNote && <span class="field-hint">{fileNote}</span>}
        </label>
      )}
      {mode === 'url' && (
        <label>
          Spec URL
          <input
            type="url"
            value={url}
            placeholder="https://api.example.com/openapi.json"
            onInput={(e) => onChange({ url: (e.target as HTMLInputElement).value })}
          />
          <span class="field-hint">Fetched by the server now and when you save.</span>
        </label>
      )}
    </fieldset>
  );
}
