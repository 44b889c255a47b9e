import { NodeError } from '../../plugins/sdk/node/kind.ts';
import type { NodeEmail } from '../../plugins/sdk/node/services.ts';
import type { Env } from '../env.ts';

/** Email sent on a team's behalf through its configured sender (a local sink in development). Placeholder. */
export function teamEmail(_env: Env, _teamId: string): NodeEmail {
  return {
    send: async () => {
      throw new NodeError('email is not configured for this team');
    },
  };
}
