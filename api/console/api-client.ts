import type { z } from '@hono/zod-openapi';
import type { DeliveryChannel } from '../../domain/channels';
import type { FieldError } from '../errors/problem';
import type { OrganizationSchema } from '../routes/organization';
import type { SupporterMessagesSchema } from '../routes/supporter-messages';
import type { CampaignSchema, PreviewSchema } from '../schemas/campaign';

/** How the console reaches the public API: the app's own `request()`, or fetch to its URL. */
export type ApiFetch = (path: string, init: RequestInit) => Response | Promise<Response>;

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors: FieldError[];
}

export type ApiResult<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; problem: Problem };

/** One organizer session's view of the API: every call carries its bearer token, nothing else. */
export function apiClient(fetchApi: ApiFetch, token: string) {
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
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...opts.headers };
    let body: NonNullable<RequestInit['body']> | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.contentType) headers['content-type'] = opts.contentType;
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body };
    if (body instanceof ReadableStream) init.duplex = 'half';
    const res = await fetchApi(path, init);
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
    del: <T>(path: string) => call<T>('DELETE', path),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

// Answers of the API as the console reads them (API.md).
export interface CampaignSummary {
  id: string;
  kind: string;
  title: string;
  status: string;
  currentStage: string | null;
  nextStageAt: string | null;
  createdAt: string;
  /** Share of reached supporters who acted; null before anyone is reached. */
  actionRate: number | null;
}

export interface StageCounts {
  targeted: number;
  sent: number;
  delivered: number;
  failed: number;
  deferred: number;
  acted: number;
  excluded?: number;
}

export interface CampaignDetail extends CampaignSummary {
  stages: Array<{ key: string; scheduledAt: string | null; status: string; counts: StageCounts }>;
  escalations?: z.infer<typeof CampaignSchema>['escalations'];
}

export interface CampaignPage {
  items: CampaignSummary[];
  nextCursor: string | null;
}

/** GET /v1/organization, typed from the route's own schema. */
export type Organization = z.infer<typeof OrganizationSchema>;

/** GET /v1/supporters/:id/messages. */
export type SupporterMessages = z.infer<typeof SupporterMessagesSchema>;

/** POST /v1/campaigns/preview, typed from the route's own schema. */
export type Preview = z.infer<typeof PreviewSchema>;

export interface Supporter {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: string;
  timezone: string;
  tags: string[];
  consent: { sms: boolean; email: boolean };
  optedOut: { sms: string | null; email: string | null };
  /** On the suppression list: when, and what put it there (an opt-out that outlives the record). */
  suppressed?: Record<DeliveryChannel, { at: string; source: string } | null>;
  erased: boolean;
  createdAt: string;
}

export interface SupporterPage {
  items: Supporter[];
  nextCursor: string | null;
}

export interface ImportResult {
  created: number;
  updated: number;
  rejected: Array<{ row: number; errors: FieldError[] }>;
  /** Every rejected row; `rejected` may list only the first ones. */
  rejectedTotal?: number;
  /** Rows that claimed consent for a suppressed phone or email: imported, but opted out. */
  suppressedTotal?: number;
}
