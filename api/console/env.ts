import type { Context } from 'hono';
import type { AppEnv } from '../context';
import type { ApiClient } from './api-client';
import type { ConsoleSession } from './session';

export type ConsoleEnv = {
  Variables: AppEnv['Variables'] & {
    /** Nonce of this page's one inline style and one inline script (CSP). */
    nonce: string;
    session: ConsoleSession;
    api: ApiClient;
  };
};

export type ConsoleContext = Context<ConsoleEnv>;

/** Form values as submitted: text fields only (files are read where a route expects them). */
export type FormValues = Record<string, string>;

export async function formValues(c: ConsoleContext): Promise<FormValues> {
  const body = await c.req.parseBody();
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}
