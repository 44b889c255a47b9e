import { describe, expect, it } from 'vitest';
import { type ParameterStyle, serializeParameter } from './style.ts';

// The spec's own values: color = "blue", ["blue","black","brown"], {R:100, G:200, B:150} (OAS 3.1 §4.8.12.4).
const STRING = 'blue';
const ARRAY = ['blue', 'black', 'brown'];
const OBJECT = { R: 100, G: 200, B: 150 };
const raw = (text: string) => text;
const cell = (style: ParameterStyle, explode: boolean, value: unknown) => {
  const out = serializeParameter('color', value, style, explode, raw);
  return out.ok ? out.text : 'n/a';
};

describe('serializeParameter, the OAS 3.1 "Style Examples" table row by row', () => {
  it.each<[ParameterStyle, boolean, string, string, string]>([
    ['matrix', false, ';color=blue', ';color=blue,black,brown', ';color=R,100,G,200,B,150'],
    ['matrix', true, ';color=blue', ';color=blue;color=black;color=brown', ';R=100;G=200;B=150'],
    ['label', false, '.blue', '.blue,black,brown', '.R,100,G,200,B,150'],
    ['label', true, '.blue', '.blue.black.brown', '.R=100.G=200.B=150'],
    ['simple', false, 'blue', 'blue,black,brown', 'R,100,G,200,B,150'],
    ['simple', true, 'blue', 'blue,black,brown', 'R=100,G=200,B=150'],
    ['form', false, 'color=blue', 'color=blue,black,brown', 'color=R,100,G,200,B,150'],
    ['form', true, 'color=blue', 'color=blue&color=black&color=brown', 'R=100&G=200&B=150'],
    ['spaceDelimited', false, 'n/a', 'color=blue%20black%20brown', 'color=R%20100%20G%20200%20B%20150'],
    ['pipeDelimited', false, 'n/a', 'color=blue|black|brown', 'color=R|100|G|200|B|150'],
    ['deepObject', true, 'n/a', 'n/a', 'color[R]=100&color[G]=200&color[B]=150'],
  ])('%s explode=%s', (style, explode, string, array, object) => {
    expect([cell(style, explode, STRING), cell(style, explode, ARRAY), cell(style, explode, OBJECT)]).toEqual([
      string,
      array,
      object,
    ]);
  });

  it('percent-encodes names and values per RFC 3986 by default, and leaves an absent value empty', () => {
    expect(serializeParameter('q', ['a b', 'c/d'], 'form', true)).toEqual({ ok: true, text: 'q=a%20b&q=c%2Fd' });
    expect(serializeParameter('q', null, 'form', true)).toEqual({ ok: true, text: '' });
    expect(serializeParameter('q', { a: 1 }, 'deepObject', false)).toMatchObject({ ok: false });
  });
});
