import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type PayloadKeys } from './payload-codec';
import type { TemporalConnectionOptions } from './temporal-connection';

export function dataConverter(keys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}

/**
 * A client whose payloads are encrypted with `keys`. `opts` carries the address and, outside
 * this machine, TLS, mTLS or an API key (core/temporal-connection.ts reads them from the environment).
 */
export async function connectTemporalClient(
  opts: TemporalConnectionOptions & { namespace: string; keys: PayloadKeys },
): Promise<Client> {
  const { namespace, keys, ...connect } = opts;
  const connection = await Connection.connect({ ...connect, connectTimeout: '10s' });
  return new Client({ connection, namespace, dataConverter: dataConverter(keys) });
}
