import pptx from '../../../test/fixtures/knowledge/autogen-slides.pptx?inline';
import csv from '../../../test/fixtures/knowledge/co2-mm-mlo.csv?raw';
import xlsx from '../../../test/fixtures/knowledge/customers-100.xlsx?inline';
import docx from '../../../test/fixtures/knowledge/hidden-forest-story.docx?inline';
import html from '../../../test/fixtures/knowledge/luajit-ext_profiler.html?raw';
import markdown from '../../../test/fixtures/knowledge/opensource-guide-metrics.md?raw';
import pdf from '../../../test/fixtures/knowledge/repair-estimates-multipage.pdf?inline';
import pdfReport from '../../../test/fixtures/knowledge/usda-ag-energy-round-up-2017-02-24.pdf?inline';
import txt from '../../../test/fixtures/knowledge/zlib-txtvsbin.txt?raw';

/**
 * Real sample documents (test/fixtures/knowledge/, copies of /shared/fixtures/documents: provenance in its README),
 * imported as data URLs (binary) or text (`?raw`) because tests run inside workerd, which has no file system.
 */
export const sampleDocuments = {
  csv: { name: 'co2-mm-mlo.csv', dataUrl: csv },
  xlsx: { name: 'customers-100.xlsx', dataUrl: xlsx },
  docx: { name: 'hidden-forest-story.docx', dataUrl: docx },
  html: { name: 'luajit-ext_profiler.html', dataUrl: html },
  markdown: { name: 'opensource-guide-metrics.md', dataUrl: markdown },
  pdf: { name: 'repair-estimates-multipage.pdf', dataUrl: pdf },
  pdfReport: { name: 'usda-ag-energy-round-up-2017-02-24.pdf', dataUrl: pdfReport },
  pptx: { name: 'autogen-slides.pptx', dataUrl: pptx },
  txt: { name: 'zlib-txtvsbin.txt', dataUrl: txt },
} as const;

export type SampleName = keyof typeof sampleDocuments;

export function sampleBytes(name: SampleName): Uint8Array {
  const dataUrl = sampleDocuments[name].dataUrl;
  if (!dataUrl.startsWith('data:')) return new TextEncoder().encode(dataUrl);
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
