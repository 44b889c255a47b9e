import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../documents/formats.ts';
import { sampleBytes } from './fixtures.ts';
import { parseDocument } from './parse.ts';
import { ParseError } from './types.ts';
import { MAX_ENTRY_BYTES } from './zip.ts';

const allText = (sections: { text: string }[]) => sections.map((s) => s.text).join('\n');

describe('parsers read the real sample documents', () => {
  it('PDF: the text layer page by page, numbered from 1', async () => {
    const { sections } = await parseDocument('pdf', sampleBytes('pdf'));
    expect(sections.length).toBeGreaterThan(1);
    expect(sections.map((s) => s.page)).toEqual(sections.map((_, i) => i + 1));
    expect(allText(sections)).toMatch(/REPAIR/i);
    const report = await parseDocument('pdf', sampleBytes('pdfReport'));
    expect(allText(report.sections)).toMatch(/Energy/);
  });

  it('DOCX: Markdown with its text (both mammoth inputs given)', async () => {
    const { sections } = await parseDocument('docx', sampleBytes('docx'));
    expect(sections).toHaveLength(1);
    expect(sections[0]?.markdown).toBe(true);
    expect(allText(sections)).toMatch(/forest/i);
    expect(allText(sections)).not.toMatch(/data:image/);
  });

  it('HTML: Markdown with headings, without scripts or styles', async () => {
    const { sections } = await parseDocument('html', sampleBytes('html'));
    const text = allText(sections);
    expect(text).toMatch(/^#+ .*Profiler/m);
    expect(text).not.toMatch(/<script|function\s*\(/);
  });

  it('Markdown: front matter out of the text, its title kept as context', async () => {
    const { sections } = await parseDocument('markdown', sampleBytes('markdown'));
    expect(sections[0]?.text.startsWith('---')).toBe(false);
    expect(sections[0]?.context).toBe('Open Source Metrics');
    expect(sections[0]?.text).toMatch(/^## /m);
  });

  it('CSV: the header row kept apart, rows one per line', async () => {
    const { sections } = await parseDocument('csv', sampleBytes('csv'));
    expect(sections[0]?.header).toBe('Date,Decimal Date,Average,Interpolated,Trend,Number of Days');
    expect(sections[0]?.text.split('\n')[0]).toBe('1958-03,1958.2027,315.71,314.44,-01,-9.99,-0.99');
  });

  it('XLSX: each sheet as CSV with its name and header row', async () => {
    const { sections } = await parseDocument('xlsx', sampleBytes('xlsx'));
    expect(sections).toHaveLength(1);
    expect(sections[0]?.context).toBe('Sheet: Users');
    expect(sections[0]?.header).toBe('First Name,Last Name,Email,Age,Occupation');
    expect(sections[0]?.text.split('\n')).toHaveLength(100);
    expect(sections[0]?.text.split('\n')[0]).toBe(
      'Martine,Gleichner,Reta6@hotmail.com,56,Corporate Security Supervisor',
    );
  });

  it('PPTX: one section per slide, in slide order, with the slides’ text runs', async () => {
    const { sections } = await parseDocument('pptx', sampleBytes('pptx'));
    expect(sections.map((s) => s.context)).toEqual(sections.map((_, i) => `Slide ${i + 1}`));
    expect(allText(sections)).toMatch(/AutoGen/);
  });

  it('TXT: the decoded text, CRLF normalised', async () => {
    const { sections } = await parseDocument('txt', sampleBytes('txt'));
    expect(sections[0]?.text).toMatch(/binary/i);
    expect(sections[0]?.text).not.toContain('\r');
    const crlf = await parseDocument('txt', new TextEncoder().encode('a\r\nb\rc'));
    expect(crlf.sections[0]?.text).toBe('a\nb\nc');
  });
});

/** A minimal OOXML workbook: shared strings (rich runs, entities), inline strings, booleans, a gap between cells. */
function workbook(sheetXml: string, sharedStrings: string): Uint8Array {
  return zipSync({
    'xl/workbook.xml': strToU8(
      '<workbook xmlns:r="r"><sheets><sheet name="Q&amp;A" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/sharedStrings.xml': strToU8(sharedStrings),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  });
}

describe('the Office readers', () => {
  it('XLSX: shared strings, rich runs, entities, inline strings, booleans and empty cells', async () => {
    const bytes = workbook(
      '<worksheet><sheetData>' +
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>x, "y"</t></is></c><c r="B2" t="b"><v>1</v></c><c r="C2"><v>2.5</v></c></row>' +
        '<row r="3"/></sheetData></worksheet>',
      '<sst><si><t>Question</t></si><si><r><t>An</t></r><r><t>swer &lt;3&gt;</t></r><rPh><t>x</t></rPh></si></sst>',
    );
    const { sections } = await parseDocument('xlsx', bytes);
    expect(sections).toEqual([{ context: 'Sheet: Q&A', header: 'Question,,Answer <3>', text: '"x, ""y""",TRUE,2.5' }]);
  });

  it('refuses a zip bomb before inflating it (declared size over the limit)', async () => {
    // 30 MB of zeros deflates to ~30 KB: the declared originalSize is what the filter refuses.
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(MAX_ENTRY_BYTES + 1) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    await expect(parseDocument('xlsx', bomb)).rejects.toThrow(/inflates to/);
  });

  it('fails clearly on a file that is not what it claims', async () => {
    await expect(parseDocument('docx', new TextEncoder().encode('not a zip'))).rejects.toBeInstanceOf(ParseError);
    await expect(parseDocument('pptx', new TextEncoder().encode('not a zip'))).rejects.toBeInstanceOf(ParseError);
    await expect(parseDocument('pdf', new TextEncoder().encode('%PDF-1.7 broken'))).rejects.toBeInstanceOf(ParseError);
    await expect(parseDocument('txt', new Uint8Array([0xff, 0xfe, 0x00, 0xd8]))).rejects.toThrow(/not UTF-8/);
    await expect(parseDocument('pptx', zipSync({ 'a.txt': strToU8('x') }))).rejects.toThrow(/no slide text/);
  });
});

describe('detectFormat', () => {
  const head = (name: SampleNameish) => sampleBytes(name).subarray(0, 512);
  type SampleNameish = Parameters<typeof sampleBytes>[0];
  it('trusts PDF and zip bytes over a generic type, and the type or name between Office formats', () => {
    expect(detectFormat('application/octet-stream', 'x.bin', head('pdf'))).toBe('pdf');
    expect(detectFormat('application/octet-stream', 'report.docx', head('docx'))).toBe('docx');
    expect(detectFormat('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', null, head('xlsx'))).toBe(
      'xlsx',
    );
    expect(detectFormat('application/zip', 'archive.zip', head('xlsx'))).toBeNull();
    expect(detectFormat('application/pdf', 'x.pdf', new TextEncoder().encode('hello'))).toBeNull();
  });
  it('reads text formats from the type, then the name, then the bytes', () => {
    const text = new TextEncoder().encode('# Title\n');
    expect(detectFormat('text/markdown; charset=utf-8', null, text)).toBe('markdown');
    expect(detectFormat('application/octet-stream', 'notes.md', text)).toBe('markdown');
    expect(detectFormat(null, null, new TextEncoder().encode('<!DOCTYPE html><p>x'))).toBe('html');
    expect(detectFormat(null, null, text)).toBe('txt');
    expect(detectFormat('application/octet-stream', null, new Uint8Array([0, 1, 2]))).toBeNull();
  });
});
