import { SELF } from 'cloudflare:test';
import decodeQR from 'qr/decode.js';
import { describe, expect, it } from 'vitest';
import { BASE, seedDemo } from '../../test/seed.ts';
import { addMember, signIn, withSession } from './testing.ts';

/**
 * Rasterises the QR SVG as an authenticator's camera would see it: the white background, then every unit square of
 * the path (`M x y` / `m dx dy` then `h1v1…Z`, which closes back to the square's corner) in black, `scale` pixels a
 * module. Only the path shape `qr` writes is understood; anything else fails the test rather than decoding wrongly.
 */
function rasterise(svg: string, scale = 6) {
  const [, width] = /viewBox="0 0 (\d+) \1"/.exec(svg) ?? [];
  const size = Number(width);
  const path = /<path fill="#000" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !path) throw new Error(`unexpected SVG: ${svg.slice(0, 200)}`);
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([Mm])(-?\d+) (-?\d+)h1v1[Hh]-?\d+Z/g)) {
    [x, y] = command === 'M' ? [Number(a), Number(b)] : [x + Number(a), y + Number(b)];
    dark.add(`${x},${y}`);
  }
  const pixels = size * scale;
  const data = new Uint8Array(pixels * pixels * 4);
  for (let py = 0; py < pixels; py++) {
    for (let px = 0; px < pixels; px++) {
      const value = dark.has(`${Math.floor(px / scale)},${Math.floor(py / scale)}`) ? 0 : 255;
      data.set([value, value, value, 255], (py * pixels + px) * 4);
    }
  }
  return { modules: dark.size, image: { width: pixels, height: pixels, data } };
}

describe('TOTP setup QR code', () => {
  it('encodes exactly the otpauth URI, on a light square, with a text alternative beside the secret', async () => {
    const demo = await seedDemo();
    const { email } = await addMember(demo.teamId, 'admin');
    const session = await signIn(email);
    const res = await SELF.fetch(`${BASE}/api/v1/auth/totp/setup`, withSession(session, { method: 'POST' }));
    expect(res.status).toBe(200);
    const setup = (await res.json()) as { secret: string; otpauthUri: string; qrSvg: string };
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.secret).toMatch(/^[A-Z2-7]+$/);

    const { modules, image } = rasterise(setup.qrSvg);
    expect(modules).toBeGreaterThan(100);
    expect(decodeQR(image)).toBe(setup.otpauthUri);

    expect(setup.qrSvg).toMatch(/^<svg [^>]*role="img"/);
    expect(setup.qrSvg).toContain('<title>QR code of the authenticator setup link</title>');
    expect(setup.qrSvg).toContain('<rect width="100%" height="100%" fill="#fff"/>');
  });
});
