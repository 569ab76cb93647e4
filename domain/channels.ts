import { z } from 'zod';

/**
 * Two words for two meanings:
 * - a **delivery channel** is how one message travels (`sms` through Twilio, `email` through
 *   Resend); deliveries, consent, suppressions, links and contact keys are per delivery channel;
 * - a **channel policy** is what a stage asks for: one channel, SMS with email as the fallback for
 *   those without a phone (`sms_then_email`), or `both`.
 */
export const DELIVERY_CHANNELS = ['sms', 'email'] as const;
export const deliveryChannelSchema = z.enum(DELIVERY_CHANNELS);
export type DeliveryChannel = z.infer<typeof deliveryChannelSchema>;

export const CHANNEL_POLICIES = ['sms', 'email', 'sms_then_email', 'both'] as const;
export const channelPolicySchema = z.enum(CHANNEL_POLICIES);
export type ChannelPolicy = z.infer<typeof channelPolicySchema>;
