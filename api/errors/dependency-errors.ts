// Errors that mean "a dependency is unreachable right now", not "this request or our code is wrong".
const POSTGRES_CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  // A query written to a connection PostgreSQL has just closed (Node: "This socket has been ended by the other party").
  'EPIPE',
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now (starting up)
  '08000',
  '08003',
  '08006',
]);

export function isDependencyUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && POSTGRES_CONNECTION_CODES.has(code)) return true;
  // Temporal's gRPC client: UNAVAILABLE (14) or DEADLINE_EXCEEDED (4) while the server restarts.
  const grpc = (err as { cause?: { code?: unknown } })?.cause?.code ?? code;
  return grpc === 14 || grpc === 4;
}
