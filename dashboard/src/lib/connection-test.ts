import type { CredentialTestResult } from '../../../worker/credentials/routes.ts';
import { ApiError } from './http';

/** `POST /api/v1/credentials/{id}/test`: a refusal by the provider is `ok: false` with its message, not an HTTP error. */
export type ConnectionTestResult = CredentialTestResult;

/** A refused test is a failure to show as an error (not an info notice); a passed one is its message. */
export function connectionTestOutcome(result: ConnectionTestResult): { notice: string } | { error: ApiError } {
  if (result.ok) return { notice: result.message };
  return { error: new ApiError(200, 'provider_error', result.message || 'The provider refused the credentials') };
}
