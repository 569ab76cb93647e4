import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { Logger } from '../core/logger';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's log lines (worker lifecycle, activity and workflow context loggers) written
 * through our pino logger: one JSON line format for the SDK's lines and ours, with the same
 * redaction of contact details. `minimum` keeps the SDK's chatty lifecycle lines out below it.
 */
export function sdkLogger(log: Logger, minimum: LogLevel): SdkLogger {
  const order: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    if (order.indexOf(level) < order.indexOf(minimum)) return;
    log[PINO_LEVEL[level]]({ sdk: true, ...meta }, message);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}
