/** The part of pino the sandbox uses; by default it logs nothing. */
export interface SandboxLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLogger: SandboxLogger = { info() {}, warn() {} };
