import type { z } from '@hono/zod-openapi';
import type { stageCountsSchema } from '../../domain/campaign-status';
import type { Principal } from '../context';
import type { FieldError } from '../errors/problem';
import type { OrganizationSchema } from '../routes/organization';
import type { ImportResultSchema } from '../routes/supporter-import';
import type { SupporterMessagesSchema } from '../routes/supporter-messages';
import type { SupporterListSchema } from '../routes/supporters';
import type {
  CampaignListSchema,
  CampaignSchema,
  CampaignSummarySchema,
  PreviewSchema,
} from '../schemas/campaign';
import type { SupporterSchema } from '../schemas/supporter';

/**
 * How the console reaches the public API: the app's own `request()`, with the signed-in person as a
 * binding (never a header: nothing over HTTP can claim to be the console).
 */
export type ApiFetch = (path: string, init: RequestInit, who: Principal) => Response | Promise<Response>;

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors: FieldError[];
}

export type ApiResult<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; problem: Problem };

/** One person's view of the API: every call is made as them, in their organization, with their role. */
export function apiClient(fetchApi: ApiFetch, who: Principal) {
  async function call<T>(
    method: string,
    path: string,
    opts: {
      json?: unknown;
      body?: NonNullable<RequestInit['body']>;
      contentType?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: NonNullable<RequestInit['body']> | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.contentType) headers['content-type'] = opts.contentType;
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body };
    if (body instanceof ReadableStream) init.duplex = 'half';
    const res = await fetchApi(path, init, who);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (res.ok) return { ok: true, status: res.status, body: parsed as T };
    const p = (parsed ?? {}) as Partial<Problem>;
    return {
      ok: false,
      status: res.status,
      problem: {
        status: res.status,
        title: typeof p.title === 'string' ? p.title : `HTTP ${res.status}`,
        detail: typeof p.detail === 'string' ? p.detail : undefined,
        errors: Array.isArray(p.errors) ? p.errors : [],
      },
    };
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, json?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, { json: json ?? {}, headers }),
    postBody: <T>(path: string, body: NonNullable<RequestInit['body']>, contentType: string) =>
      call<T>('POST', path, { body, contentType }),
    patch: <T>(path: string, json: unknown) => call<T>('PATCH', path, { json }),
    put: <T>(path: string, json: unknown) => call<T>('PUT', path, { json }),
    del: <T>(path: string) => call<T>('DELETE', path),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

// Answers of the API as the console reads them: the route schemas' own types (API.md).
export type CampaignSummary = z.infer<typeof CampaignSummarySchema>;
export type StageCounts = z.infer<typeof stageCountsSchema>;
export type CampaignDetail = z.infer<typeof CampaignSchema>;
export type CampaignPage = z.infer<typeof CampaignListSchema>;

/** GET /v1/organization, typed from the route's own schema. */
export type Organization = z.infer<typeof OrganizationSchema>;

/** GET /v1/supporters/:id/messages. */
export type SupporterMessages = z.infer<typeof SupporterMessagesSchema>;

/** POST /v1/campaigns/preview, typed from the route's own schema. */
export type Preview = z.infer<typeof PreviewSchema>;

export type Supporter = z.infer<typeof SupporterSchema>;
export type SupporterPage = z.infer<typeof SupporterListSchema>;
export type ImportResult = z.infer<typeof ImportResultSchema>;
