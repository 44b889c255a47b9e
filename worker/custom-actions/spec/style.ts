import { isRecord } from './types.ts';

/**
 * OpenAPI parameter serialisation (OAS 3.1 §4.8.12.4, "Style Values" and "Style Examples"): a value as it goes in
 * a path segment, a query string or a header, by `style` and `explode`. Pure; values are percent-encoded with
 * encodeRfc3986 (the spec's examples show them unencoded, our tests compare the decoded text).
 * buildRequest applies it to path and query parameters that declare a style (ActionOperation.styles).
 */
export type ParameterStyle = 'simple' | 'label' | 'matrix' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

/** encodeURIComponent plus RFC 3986's reserved sub-delims it leaves alone (`!'()*`): "/" → %2F, " " → %20. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

type Scalar = string | number | boolean;
const text = (value: unknown) => String(value as Scalar);

/** The serialised text, or an error naming why the combination is undefined in the spec's table (n/a cells). */
export function serializeParameter(
  name: string,
  value: unknown,
  style: ParameterStyle,
  explode: boolean,
  encode: (text: string) => string = encodeRfc3986,
): { ok: true; text: string } | { ok: false; error: string } {
  const e = encode;
  if (value === undefined || value === null) return { ok: true, text: '' };
  const list = Array.isArray(value) ? value.map((item) => e(text(item))) : null;
  const pairs = isRecord(value) ? Object.entries(value).map(([key, item]) => [e(key), e(text(item))] as const) : null;
  const scalar = list === null && pairs === null ? e(text(value)) : null;
  const n = e(name);
  switch (style) {
    case 'simple':
      if (scalar !== null) return { ok: true, text: scalar };
      if (list) return { ok: true, text: list.join(',') };
      return { ok: true, text: (pairs ?? []).map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`)).join(',') };
    case 'label':
      if (scalar !== null) return { ok: true, text: `.${scalar}` };
      if (list) return { ok: true, text: `.${list.join(explode ? '.' : ',')}` };
      return {
        ok: true,
        text: `.${(pairs ?? []).map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`)).join(explode ? '.' : ',')}`,
      };
    case 'matrix':
      if (scalar !== null) return { ok: true, text: `;${n}=${scalar}` };
      if (list) return { ok: true, text: explode ? list.map((v) => `;${n}=${v}`).join('') : `;${n}=${list.join(',')}` };
      return {
        ok: true,
        text: explode
          ? (pairs ?? []).map(([k, v]) => `;${k}=${v}`).join('')
          : `;${n}=${(pairs ?? []).map(([k, v]) => `${k},${v}`).join(',')}`,
      };
    case 'form':
      if (scalar !== null) return { ok: true, text: `${n}=${scalar}` };
      if (list) return { ok: true, text: explode ? list.map((v) => `${n}=${v}`).join('&') : `${n}=${list.join(',')}` };
      return {
        ok: true,
        text: explode
          ? (pairs ?? []).map(([k, v]) => `${k}=${v}`).join('&')
          : `${n}=${(pairs ?? []).map(([k, v]) => `${k},${v}`).join(',')}`,
      };
    case 'spaceDelimited':
    case 'pipeDelimited': {
      // The table defines these for arrays and objects with explode false; an exploded array is the same as form.
      const sep = style === 'spaceDelimited' ? '%20' : '|';
      if (list && !explode) return { ok: true, text: `${n}=${list.join(sep)}` };
      if (list) return { ok: true, text: list.map((v) => `${n}=${v}`).join('&') };
      if (pairs && !explode) return { ok: true, text: `${n}=${pairs.flat().join(sep)}` };
      return {
        ok: false,
        error: `style ${style} is defined for arrays and objects, not explode true objects or scalars`,
      };
    }
    case 'deepObject':
      if (pairs && explode) return { ok: true, text: pairs.map(([k, v]) => `${n}[${k}]=${v}`).join('&') };
      return { ok: false, error: 'style deepObject is defined for objects with explode true only (OAS 3.1 §4.8.12.4)' };
  }
}
