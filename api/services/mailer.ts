import { createResendEmailChannel, type EmailChannel } from '../../channels/email-channel';
import { createResendClient } from '../../channels/resend-client';
import type { Config } from '../../core/config';

/** The API's own email channel (invitations): Resend, or the sandbox in development; undefined when unset. */
export function apiMailer(config: Config): EmailChannel | undefined {
  if (!config.RESEND_API_KEY) return undefined;
  return createResendEmailChannel({
    client: createResendClient({ apiKey: config.RESEND_API_KEY, baseUrl: config.RESEND_BASE_URL }),
  });
}
