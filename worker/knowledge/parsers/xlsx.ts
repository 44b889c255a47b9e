import { csvSection } from './csv.ts';
import { type ParsedDocument, ParseError, type TextSection } from './types.ts';
import { attribute, partNumber, readZipEntries, xmlText } from './zip.ts';

/**
 * XLSX with our own reader (not npm's `xlsx`, vulnerable to crafted files: CVE-2023-30533; research §3.6): the
 * workbook's sheets in order, each as CSV with its first row as the header. Cells are read as stored: shared and
 * inline strings, numbers as written (a date stays Excel's serial number; styles are not applied), booleans, and a
 * formula's cached value.
 */
export async function parseXlsx(bytes: Uint8Array): Promise<ParsedDocument> {
  const parts = readZipEntries(
    bytes,
    (name) =>
      name === 'xl/workbook.xml' ||
      name === 'xl/_rels/workbook.xml.rels' ||
      name === 'xl/sharedStrings.xml' ||
      /^xl\/worksheets\/sheet\d+\.xml$/.test(name),
  );
  const sharedStrings = readSharedStrings(parts.get('xl/sharedStrings.xml') ?? '');
  const sections: TextSection[] = [];
  for (const sheet of sheetsInOrder(parts)) {
    const rows = readRows(sheet.xml, sharedStrings);
    const [header, ...body] = rows;
    if (header) sections.push(csvSection(header, body, `Sheet: ${sheet.name}`));
  }
  if (sections.length === 0) throw new ParseError('The workbook has no cells with values');
  return { sections };
}

interface Sheet {
  name: string;
  xml: string;
}

/** Sheets in the workbook's tab order, by name (workbook.xml → its relationships → worksheets/sheetN.xml). */
function sheetsInOrder(parts: Map<string, string>): Sheet[] {
  const targets = new Map<string, string>();
  for (const match of (parts.get('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\b([^>]*?)\/?>/g)) {
    const id = attribute(match[1] ?? '', 'Id');
    const target = attribute(match[1] ?? '', 'Target');
    if (id && target) targets.set(id, `xl/${target.replace(/^\/?xl\//, '').replace(/^\//, '')}`);
  }
  const sheets: Sheet[] = [];
  for (const match of (parts.get('xl/workbook.xml') ?? '').matchAll(/<sheet\b([^>]*?)\/?>/g)) {
    const name = attribute(match[1] ?? '', 'name') ?? 'Sheet';
    const id = attribute(match[1] ?? '', 'r:id');
    const xml = id ? parts.get(targets.get(id) ?? '') : undefined;
    if (xml) sheets.push({ name, xml });
  }
  if (sheets.length > 0) return sheets;
  // No workbook part (a minimal writer): the sheets by number.
  return [...parts.keys()]
    .filter((name) => name.startsWith('xl/worksheets/'))
    .sort((a, b) => partNumber(a) - partNumber(b))
    .map((name) => ({ name: `Sheet ${partNumber(name)}`, xml: parts.get(name) ?? '' }));
}

/** `<si>` items: plain `<t>` or rich-text runs `<r><t>…</t></r>`, concatenated; phonetic `<rPh>` runs left out. */
function readSharedStrings(xml: string): string[] {
  return [...xml.matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)].map((item) => textRuns(stripPhonetic(item[1] ?? '')));
}

function stripPhonetic(xml: string): string {
  return xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
}

function textRuns(xml: string): string {
  return [...xml.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)].map((t) => xmlText(t[1] ?? '')).join('');
}

/** A sheet's rows as cells placed by their column letters (empty cells in between kept empty). */
function readRows(xml: string, sharedStrings: readonly string[]): string[][] {
  const rows: string[][] = [];
  for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = [];
    let next = 0;
    for (const cell of (row[1] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attributes = cell[1] ?? '';
      const reference = attribute(attributes, 'r');
      const column = reference ? columnIndex(reference) : next;
      next = column + 1;
      const value = cellValue(attribute(attributes, 't'), cell[2] ?? '', sharedStrings);
      if (value === '') continue;
      while (cells.length < column) cells.push('');
      cells[column] = value;
    }
    if (cells.some((c) => c.trim() !== '')) rows.push(cells);
  }
  return rows;
}

function cellValue(type: string | undefined, inner: string, sharedStrings: readonly string[]): string {
  const raw = inner.match(/<v\b[^>]*>([\s\S]*?)<\/v>/)?.[1];
  if (type === 'inlineStr') return textRuns(inner);
  if (raw === undefined) return '';
  const value = xmlText(raw);
  if (type === 's') return sharedStrings[Number(value)] ?? '';
  if (type === 'b') return value === '1' ? 'TRUE' : 'FALSE';
  return value;
}

/** `AB12` → 27 (0-based column of the reference's letters). */
function columnIndex(reference: string): number {
  const letters = reference.match(/^[A-Z]+/i)?.[0].toUpperCase() ?? 'A';
  let index = 0;
  for (const letter of letters) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}
