import type { Env } from '../env.ts';
import { loadPromptSchedules, usesSchedules } from '../schedules/prompt-variable.ts';
import type { Schedule } from '../schedules/types.ts';
import type { MessageContext } from './message-extras.ts';
import type { ConversationMeta } from './meta.ts';
import {
  loadPromptParticipant,
  type PromptParticipant,
  type PromptValues,
  usesParticipant,
} from './prompt-variables.ts';

/**
 * What a run's system prompts read for their variables, each only when a prompt names it and then once per run:
 * the participant row from D1 for `{{participant.name|id|data.…}}`, the participant's object for
 * `{{participant.schedules}}`. A prompt naming neither costs no read at all.
 */
export class PromptSources {
  private participant: Promise<PromptParticipant | null> | undefined;
  private schedules: Promise<Schedule[] | null> | undefined;

  constructor(
    private readonly env: Env,
    private readonly meta: ConversationMeta,
  ) {}

  async values(template: string, page: MessageContext | undefined, now: number): Promise<PromptValues> {
    const { env, meta } = this;
    if (usesParticipant(template)) this.participant ??= loadPromptParticipant(env, meta);
    if (usesSchedules(template)) this.schedules ??= loadPromptSchedules(env, meta);
    const [participant, schedules] = await Promise.all([
      usesParticipant(template) ? this.participant : null,
      usesSchedules(template) ? this.schedules : null,
    ]);
    return { participant: participant ?? null, schedules: schedules ?? null, page, now };
  }
}
