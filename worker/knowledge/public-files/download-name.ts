const EXTENSIONS: Record<string, string> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  html: 'html',
  markdown: 'md',
  csv: 'csv',
  txt: 'txt',
};

/**
 * The file name a download offers: the uploaded file's own name, else (pasted text and pages added by URL were
 * stored without one, as `file`) the document's title with its format's extension.
 */
export function downloadName(storedName: string | undefined, title: string, format: string): string {
  if (storedName && storedName !== 'file') return storedName;
  const extension = EXTENSIONS[format] ?? 'txt';
  return title.toLowerCase().endsWith(`.${extension}`) ? title : `${title}.${extension}`;
}
