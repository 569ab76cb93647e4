// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
type Json = any;

/** A request with a JSON body: POST unless `method` says otherwise, `content-type: application/json`. */
export function jsonInit(
  body: unknown,
  init: { method?: string; headers?: Record<string, string> } = {},
): RequestInit {
  return {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(body),
  };
}

/** An answer read once: status, content type, raw text, and the body as JSON when it parses (else the text). */
export async function readAnswer(
  res: Response,
): Promise<{ status: number; type: string; text: string; body: Json }> {
  const text = await res.text();
  let body: Json = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body };
}
