import { COMMON_PASSWORDS } from './common-passwords.ts';

/**
 * NIST SP 800-63B-4 §3.1.1.2: passwords used as the only factor need at least 15 characters, at least 64 must be
 * accepted, no composition rules, and new passwords are checked against a blocklist of common, expected or
 * compromised values. Dashboard accounts may add TOTP, so 12 is the floor here; 256 caps PBKDF2 input.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
/** Fewer distinct characters than this is a repetition (`aaaaaaaaaaaa`, `abababababab`), not a secret. */
const MIN_DISTINCT = 5;

/** Whether every character is the one before it plus `step` (±1): `abcdefghijkl`, `987654321098` is not, `cba…` is. */
function isRun(text: string): boolean {
  const codes = [...text].map((ch) => ch.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  if (step !== 1 && step !== -1) return false;
  return codes.every((code, i) => i === 0 || code - (codes[i - 1] ?? 0) === step);
}

/** Digits and symbols people pad a common word with (`Password123!`, `2024iloveyou`), stripped from both ends. */
const core = (text: string) => text.replace(/^[^a-z]+|[^a-z]+$/g, '');

/** Why `password` is too weak to set, or null when it will do. Length is checked here too, for one message. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX)
    return `Use ${PASSWORD_MIN} to ${PASSWORD_MAX} characters; a few unrelated words make a good password`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < MIN_DISTINCT || isRun(lower))
    return 'This password is too repetitive or a simple sequence; a few unrelated words make a good password';
  const base = core(lower);
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(base) || isRepeatOfCommon(base))
    return 'This password is one of the most common ones; a few unrelated words make a good password';
  return null;
}

/** `passwordpassword`, `qwertyqwerty`: a common word written twice or more. */
function isRepeatOfCommon(text: string): boolean {
  for (let unit = 1; unit <= text.length / 2; unit++) {
    if (text.length % unit !== 0) continue;
    const piece = text.slice(0, unit);
    if (piece.repeat(text.length / unit) === text) return COMMON_PASSWORDS.has(piece) || unit < MIN_DISTINCT;
  }
  return false;
}
