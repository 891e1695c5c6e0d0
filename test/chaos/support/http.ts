/** A bare HTTP client for the chaos suites: Node's fetch (undici) with a timeout; never throws. */
export interface Answer {
  /** 0 when no answer came (connection refused or reset, timeout). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Why there was no answer. */
  readonly error?: string;
}

export interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  readonly ifMatch?: string;
  readonly timeoutMs?: number;
}

/** Only 127.0.0.1: the suites never send traffic elsewhere. */
export async function send(port: number, call: Call): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (call.token) headers['authorization'] = `Bearer ${call.token}`;
  if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
  if (call.ifMatch) headers['if-match'] = call.ifMatch;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`http://127.0.0.1:${port}${call.path}`, {
      method: call.method,
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      signal: AbortSignal.timeout(call.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, headers: {}, body: null, error: cause ?? (error as Error).name };
  }
}

/** The `code` of an error body, if any. */
export function errorCode(answer: Answer): string | undefined {
  const body = answer.body as { code?: unknown } | null;
  return body && typeof body === 'object' && typeof body.code === 'string' ? body.code : undefined;
}
