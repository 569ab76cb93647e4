import { ConfigError } from '../core/config';

/** A start-up failure whose message is already one sentence naming the cause and what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * The one line a launcher (`npm run dev`, bench, chaos) prints when its stack does not start:
 * our own sentences as they are, anything else prefixed with `what` and never `undefined`.
 */
export function startupFailureLine(what: string, err: unknown): string {
  if (err instanceof StartupError || err instanceof ConfigError) return err.message;
  const detail =
    err instanceof Error
      ? err.message.trim().split('\n')[0] || err.name
      : err === undefined || err === null
        ? 'a step failed without saying why'
        : String(err);
  return `${what} failed to start: ${detail}. See the lines above for the failing part, fix it and start again.`;
}
