/** The server-side export of the conversations a list path shows: the same filters, no cursor, one format. */
export function exportPath(listPath: string, format: 'csv' | 'jsonl'): string {
  const [path = '', search = ''] = listPath.split('?');
  const params = new URLSearchParams(search);
  params.delete('cursor');
  params.delete('limit');
  params.set('format', format);
  return `${path.replace(/\/$/, '')}/export?${params.toString()}`;
}
