import pino from 'pino';

export type Logger = pino.Logger;

// Contact details must never reach logs, whatever object a caller hands to the logger.
// (A top-level `name` is pino's logger name, so only nested names are redacted.)
const REDACT = [
  'phone',
  'email',
  'to',
  'from',
  'To',
  'From',
  'body',
  '*.phone',
  '*.email',
  '*.to',
  '*.from',
  '*.To',
  '*.From',
  '*.name',
  '*.body',
  'req.headers.authorization',
  'headers.authorization',
];

/** JSON lines to stdout, or to `destination` (tests capture a service's logs with one). */
export function createLogger(opts: {
  level: string;
  name: string;
  destination?: pino.DestinationStream;
}): Logger {
  const options = {
    name: opts.name,
    level: opts.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: opts.name },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
