import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type PayloadKeys } from './payload-codec';

export function dataConverter(keys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}

export async function connectTemporalClient(opts: {
  address: string;
  namespace: string;
  keys: PayloadKeys;
}): Promise<Client> {
  const connection = await Connection.connect({ address: opts.address, connectTimeout: '10s' });
  return new Client({ connection, namespace: opts.namespace, dataConverter: dataConverter(opts.keys) });
}
