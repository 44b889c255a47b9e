import { fromBase64Url, randomBytes, toBase64Url } from './encoding.ts';

/**
 * Secrets at rest: AES-256-GCM under ENCRYPTION_KEY (32 random bytes, base64url). Each value gets a fresh 96-bit
 * IV (NIST SP 800-38D's recommended length) and is bound to its context (e.g. `team:<id>:provider`) as additional
 * data, so a ciphertext copied into another row or team fails to decrypt.
 */
const FORMAT = 'v1';

export class SecretBox {
  private constructor(private readonly key: CryptoKey) {}

  static async fromBase64Url(encoded: string | undefined): Promise<SecretBox> {
    if (!encoded) throw new Error('ENCRYPTION_KEY is not set (npm start generates one into .dev.vars)');
    const raw = fromBase64Url(encoded);
    if (raw.byteLength !== 32) throw new Error('ENCRYPTION_KEY must be 32 bytes, base64url-encoded');
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return new SecretBox(key);
  }

  static generateKey(): string {
    return toBase64Url(randomBytes(32));
  }

  async seal(plaintext: string, context: string): Promise<string> {
    const iv = randomBytes(12);
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
      this.key,
      new TextEncoder().encode(plaintext),
    );
    return `${FORMAT}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
  }

  async open(sealed: string, context: string): Promise<string> {
    const [format, iv, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !iv || !ciphertext) throw new Error('unrecognised secret format');
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: new TextEncoder().encode(context) },
      this.key,
      fromBase64Url(ciphertext),
    );
    return new TextDecoder().decode(plaintext);
  }

  async sealJson(value: Record<string, unknown>, context: string): Promise<string> {
    return this.seal(JSON.stringify(value), context);
  }

  async openJson(sealed: string, context: string): Promise<Record<string, unknown>> {
    return JSON.parse(await this.open(sealed, context)) as Record<string, unknown>;
  }
}

/**
 * The additional-data string that binds a sealed value to where it is stored. `purpose` is a plugin kind (plugin
 * configurations, worker/plugin-configs) or `widget`.
 */
export const secretContext = (teamId: string, purpose: string, rowId: string) => `team:${teamId}:${purpose}:${rowId}`;

/**
 * The SecretBox for the Worker's ENCRYPTION_KEY, imported once per isolate: importing the AES key is a WebCrypto
 * call, and lists decrypt up to 100 rows.
 */
let cachedBox: { key: string; box: Promise<SecretBox> } | undefined;
export function secretBox(env: { ENCRYPTION_KEY: string }): Promise<SecretBox> {
  if (cachedBox?.key !== env.ENCRYPTION_KEY) {
    const box = SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
    // A bad key must fail every call, not be cached as a rejected promise forever.
    box.catch(() => {
      cachedBox = undefined;
    });
    cachedBox = { key: env.ENCRYPTION_KEY, box };
  }
  return cachedBox.box;
}
