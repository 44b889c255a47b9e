/**
 * How the inbound consumer ends a queue item that failed. Permanent: retrying cannot help (the channel was deleted,
 * the chatbot has no published version), so the item is acknowledged and logged. Anything else is retried.
 */
export class PermanentInboundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A failure worth retrying later (a conversation object answered 5xx, a media download failed). */
export class TransientInboundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What may be logged about a failure. Messages of our own errors are written here and safe; a foreign error's
 * message may quote a URL with a bot token in it (Telegram puts the token in the path), so only its name is kept.
 */
export function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof PermanentInboundError || error instanceof TransientInboundError) {
    return { code: error.code, message: error.message };
  }
  return { code: 'unexpected', message: error instanceof Error ? error.name : typeof error };
}
