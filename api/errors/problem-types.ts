import type { RefusalCode } from '../../domain/refusals';

/** Base of every problem `type` URI; the refusal code is the last segment. */
export const PROBLEM_TYPE_BASE = 'https://campaigns.example.org/problems/';

export interface ProblemType {
  /** HTTP status the API answers this refusal with (../shared/API.md). */
  status: number;
  /** Short summary of the problem type, the same for every occurrence (RFC 9457 `title`). */
  title: string;
  /** What it means for a client, for the OpenAPI document. */
  meaning: string;
}

/** One problem type per refusal kind: its status, title and meaning. */
export const PROBLEM_TYPES: Record<RefusalCode, ProblemType> = {
  'invalid-input': {
    status: 400,
    title: 'Invalid input',
    meaning: 'The request is malformed or a field is invalid; each bad field is listed in errors.',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    meaning: 'Missing or invalid credentials (bearer token, OSDI-API-Token or webhook signature).',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    meaning: "The credentials are valid but may not do this (role, partner scope, Twilio's signature).",
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    meaning: 'Unknown, or belonging to another organization.',
  },
  'unknown-stage': {
    status: 404,
    title: 'Unknown stage',
    meaning: 'The campaign has no stage with this key.',
  },
  'stage-started': {
    status: 409,
    title: 'Stage already started',
    meaning: 'The stage has started (or finished): its time and content can no longer change.',
  },
  'campaign-ended': {
    status: 409,
    title: 'Campaign ended',
    meaning: 'The campaign is completed, cancelled or closed (or its case is being closed).',
  },
  'campaign-not-running': {
    status: 409,
    title: 'Campaign not running',
    meaning: 'The campaign’s workflow is no longer running, so it cannot take this request.',
  },
  'supporter-conflict': {
    status: 409,
    title: 'Supporter conflict',
    meaning: 'The phone and the email belong to two different supporters.',
  },
  'letter-already-sent': {
    status: 409,
    title: 'Letter already sent',
    meaning: 'This supporter has already written to this target about this case: one letter each.',
  },
  'appeal-closed': {
    status: 409,
    title: 'Appeal closed',
    meaning: 'The Urgent Action has ended or its appeal-by date has passed: no more letters.',
  },
  'survey-already-answered': {
    status: 409,
    title: 'Survey already answered',
    meaning: 'This respondent has already answered this round of the survey (by the form or by SMS).',
  },
  'survey-closed': {
    status: 409,
    title: 'Survey closed',
    meaning: 'This round of the survey takes no more answers: the campaign ended or a later round began.',
  },
  'already-member': {
    status: 409,
    title: 'Already a member',
    meaning: 'The invited person is already a member of the organization.',
  },
  'last-owner': {
    status: 409,
    title: 'Last owner',
    meaning: 'The organization’s last owner cannot be removed or stop being an owner.',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    meaning: 'The body is over the route’s limit (detail gives it).',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    meaning: 'The body is not in the media type the route reads (detail names it).',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    meaning: 'Rate limited; Retry-After says when to retry.',
  },
  'webhooks-not-configured': {
    status: 503,
    title: 'Service unavailable',
    meaning: 'This provider’s webhooks are not configured on this server.',
  },
  'email-not-configured': {
    status: 503,
    title: 'Email not configured',
    meaning: 'Email is not configured on this server, so invitations cannot be sent.',
  },
  'orchestration-unavailable': {
    status: 503,
    title: 'Orchestration unavailable',
    meaning: 'The campaign could not be started; retry with the same Idempotency-Key.',
  },
  'dependency-unavailable': {
    status: 503,
    title: 'Service unavailable',
    meaning: 'A dependency is restarting; Retry-After says when to retry.',
  },
  'request-error': {
    status: 400,
    title: 'Request error',
    meaning: 'The request was refused before it reached a route (status and detail say why).',
  },
  'internal-error': {
    status: 500,
    title: 'Internal error',
    meaning: 'Something went wrong on our side; quote the request id given in detail.',
  },
};

export const problemTypeUri = (code: RefusalCode) => `${PROBLEM_TYPE_BASE}${code}`;

/** The refusal kind of an answer known only by its status (Hono's own errors, console pages). */
const KIND_OF_STATUS: Partial<Record<number, RefusalCode>> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};
export const kindOfStatus = (status: number): RefusalCode => KIND_OF_STATUS[status] ?? 'request-error';
