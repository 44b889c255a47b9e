/**
 * Tiny but well-formed media files the fake messaging platforms serve when a channel downloads an inbound voice
 * note, photo or document, so tests can assert the bytes arrived intact (magic numbers) and the mime type matches.
 * Plain Uint8Arrays, no Node APIs: the fakes (Node) serve them and tests (workerd) compare against them.
 */
import type { ServerResponse } from 'node:http';

const latin1 = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** The first page of an Ogg/Opus stream: "OggS" capture pattern + an OpusHead packet (RFC 7845 §5.1). */
export const OGG_OPUS: Uint8Array = new Uint8Array([
  ...latin1('OggS'),
  0, // stream structure version
  2, // header type: beginning of stream
  ...[0, 0, 0, 0, 0, 0, 0, 0], // granule position
  ...[1, 0, 0, 0], // bitstream serial number
  ...[0, 0, 0, 0], // page sequence number
  ...[0, 0, 0, 0], // CRC (checked by nothing here)
  1, // one segment …
  19, // … of 19 bytes
  ...latin1('OpusHead'),
  ...[1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0], // v1, mono, pre-skip 312, 48 kHz, gain 0, mapping 0
]);

/** A 1×1 PNG. */
export const PNG_1X1: Uint8Array = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  (char) => char.charCodeAt(0),
);

/** The smallest useful PDF prefix: enough for a magic-number check. */
export const PDF_STUB: Uint8Array = new Uint8Array(latin1('%PDF-1.4\n%fake\n'));

export interface SampleMedia {
  bytes: Uint8Array;
  mimeType: string;
  extension: string;
}

/**
 * Which sample a media id stands for, from a word in it: "photo"/"image"/"large"/"small" → PNG, "doc"/"pdf" → PDF,
 * anything else → an Ogg/Opus voice note (the common case: transcribing voice messages).
 */
export function sampleFor(mediaId: string): SampleMedia {
  if (/photo|image|large|small|png|jpe?g/i.test(mediaId))
    return { bytes: PNG_1X1, mimeType: 'image/png', extension: 'png' };
  if (/doc|pdf/i.test(mediaId)) return { bytes: PDF_STUB, mimeType: 'application/pdf', extension: 'pdf' };
  return { bytes: OGG_OPUS, mimeType: 'audio/ogg', extension: 'oga' };
}

/** Answers with the sample for `mediaId`, as `contentType` or the sample's own mime type. */
export function serveSample(res: ServerResponse, mediaId: string, contentType?: string): void {
  const sample = sampleFor(mediaId);
  res.writeHead(200, { 'content-type': contentType ?? sample.mimeType, 'content-length': String(sample.bytes.length) });
  res.end(sample.bytes);
}
