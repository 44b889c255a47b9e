import { type ParsedDocument, ParseError, type TextSection } from './types.ts';
import { partNumber, readZipEntries, xmlText } from './zip.ts';

/**
 * PPTX with our own reader: each slide's paragraphs (`<a:p>`, their `<a:t>` text runs joined) and its speaker
 * notes, one section per slide in slide order, so each chunk says which slide it is from.
 */
export async function parsePptx(bytes: Uint8Array): Promise<ParsedDocument> {
  const parts = readZipEntries(bytes, (name) => /^ppt\/(slides\/slide|notesSlides\/notesSlide)\d+\.xml$/.test(name));
  const slides = [...parts.keys()]
    .filter((name) => name.startsWith('ppt/slides/'))
    .sort((a, b) => partNumber(a) - partNumber(b));
  const sections: TextSection[] = [];
  for (const name of slides) {
    const number = partNumber(name);
    const body = paragraphs(parts.get(name) ?? '');
    // Notes part numbers follow the slides' in files PowerPoint writes; the notes' own slide placeholder is its
    // slide number, dropped below as a line of digits.
    const notes = paragraphs(parts.get(`ppt/notesSlides/notesSlide${number}.xml`) ?? '').filter(
      (p) => !/^\d+$/.test(p),
    );
    const text = [...body, ...(notes.length > 0 ? ['', 'Notes:', ...notes] : [])].join('\n').trim();
    if (text) sections.push({ text, context: `Slide ${number}` });
  }
  if (sections.length === 0) throw new ParseError('The presentation has no slide text');
  return { sections };
}

function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<a:p\b[^>]*>([\s\S]*?)<\/a:p>/g)]
    .map((p) =>
      [...(p[1] ?? '').matchAll(/<a:t\b[^>]*>([\s\S]*?)<\/a:t>|<a:br\b[^>]*\/>/g)]
        .map((run) => (run[1] === undefined ? '\n' : xmlText(run[1])))
        .join('')
        .trim(),
    )
    .filter((text) => text.length > 0);
}
