import type { Config } from './config';
import { ConfigError } from './config';
import { type ContactKeys, contactKeys, senderDomain } from './contact-key';
import { type PayloadKeys, parsePayloadKeys } from './payload-codec';

// Values every process derives from config the same way.

export function publicBaseUrl(config: Config): string {
  return (config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '');
}

/** Origin of supporter links in SMS: the organization's short domain when set (it must route to this API). */
export function linkBaseUrl(config: Config): string {
  return config.SHORT_LINK_BASE_URL?.replace(/\/$/, '') ?? publicBaseUrl(config);
}

export function payloadKeys(config: Config): PayloadKeys {
  if (!config.PAYLOAD_KEYS) {
    throw new ConfigError(
      'PAYLOAD_KEYS: required (id:base64-32-byte-key[,…]); npm run dev generates one under .data/',
    );
  }
  try {
    return parsePayloadKeys(config.PAYLOAD_KEYS, config.PAYLOAD_KEY_ID);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

export function required<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigError(`${String(key)}: required`);
  return value as NonNullable<Config[K]>;
}

/**
 * The suppression list's keyed hash and scopes. Every organization here sends through the same
 * configured Twilio sender and Resend domain, so they share one scope per channel.
 */
export function suppressionKeys(config: Config): ContactKeys {
  return contactKeys(required(config, 'SUPPRESSION_KEY'), {
    sms: config.TWILIO_MESSAGING_SERVICE_SID ?? config.TWILIO_FROM_NUMBER ?? 'twilio',
    email: senderDomain(config.RESEND_FROM),
  });
}
