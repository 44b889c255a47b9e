import { decodeText } from './text.ts';
import { type ParsedDocument, ParseError } from './types.ts';

/** RFC 4180 CSV into rows (quoted fields may hold commas, quotes as `""` and newlines). */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/** One row as one CSV line: a field's own newlines become spaces, so the chunker's `\n` split never cuts a row. */
export function csvLine(cells: readonly string[]): string {
  return cells
    .map((cell) => {
      const flat = cell.replace(/\s*[\r\n]+\s*/g, ' ');
      return /[",]/.test(flat) ? `"${flat.replace(/"/g, '""')}"` : flat;
    })
    .join(',');
}

/** CSV: the first row is the header, repeated at the top of every chunk so each chunk's rows keep their names. */
export async function parseCsv(bytes: Uint8Array): Promise<ParsedDocument> {
  const rows = parseCsvRows(decodeText(bytes));
  const [header, ...body] = rows;
  if (!header) throw new ParseError('The CSV has no rows');
  return { sections: [csvSection(header, body)] };
}

export function csvSection(header: readonly string[], body: readonly (readonly string[])[], context?: string) {
  // A header alone is the only text there is: index it as such rather than as an empty section.
  if (body.length === 0) return { text: csvLine(header), ...(context && { context }) };
  return {
    text: body.map(csvLine).join('\n'),
    header: csvLine(header),
    ...(context && { context }),
  };
}
