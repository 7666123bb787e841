import type { ScanOutcome } from '@rcp/contracts';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
}

export type FetchResult =
  | { ok: true; status: number; finalUrl: string; body: string; bytes: number; contentType: string }
  | {
      ok: false;
      outcome: Exclude<ScanOutcome, 'ok' | 'robots_disallowed'>;
      error: string;
      status?: number;
      finalUrl?: string;
      bytes?: number;
    };

class TooLarge extends Error {}

/**
 * GET with the politeness limits of a crawler: redirects followed by hand (at most `maxRedirects`,
 * a loop is reported as such), the body read up to `maxBytes`, the whole exchange under `timeoutMs`.
 */
export async function fetchLimited(
  url: string,
  limits: FetchLimits,
  signal?: AbortSignal,
): Promise<FetchResult> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const seen = new Set<string>();
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      if (!/^https?:\/\//i.test(current))
        return { ok: false, outcome: 'invalid_url', error: `not an http(s) URL: ${current}` };
      seen.add(current);
      const response = await fetch(current, {
        redirect: 'manual',
        signal: combined,
        headers: {
          'User-Agent': limits.userAgent,
          Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel().catch(() => undefined);
        const next = new URL(location, current).toString();
        if (seen.has(next) || hop >= limits.maxRedirects)
          return {
            ok: false,
            outcome: 'redirect_loop',
            error: `more than ${limits.maxRedirects} redirects or a loop at ${next}`,
            status: response.status,
            finalUrl: current,
          };
        current = next;
        continue;
      }
      return await readBody(response, current, limits);
    }
  } catch (error) {
    if (timeout.aborted)
      return {
        ok: false,
        outcome: 'timeout',
        error: `no complete answer within ${limits.timeoutMs} ms`,
        finalUrl: current,
      };
    if (signal?.aborted)
      return {
        ok: false,
        outcome: 'timeout',
        error: 'cancelled (phase deadline)',
        finalUrl: current,
      };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === 'TypeError' && /invalid url/i.test((error as Error).message))
      return { ok: false, outcome: 'invalid_url', error: (error as Error).message };
    return {
      ok: false,
      outcome: 'network_error',
      error: cause?.code ?? cause?.message ?? (error as Error).message,
      finalUrl: current,
    };
  }
}

async function readBody(
  response: Response,
  finalUrl: string,
  limits: FetchLimits,
): Promise<FetchResult> {
  const status = response.status;
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      outcome: 'too_large',
      error: `Content-Length ${declared} over the ${limits.maxBytes}-byte cap`,
      status,
      finalUrl,
    };
  }
  let bytes = 0;
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of response.body ?? []) {
      bytes += (chunk as Uint8Array).byteLength;
      if (bytes > limits.maxBytes) throw new TooLarge();
      chunks.push(chunk as Uint8Array);
    }
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return {
      ok: false,
      outcome: 'too_large',
      error: `body over the ${limits.maxBytes}-byte cap`,
      status,
      finalUrl,
      bytes,
    };
  }
  if (status >= 400)
    return { ok: false, outcome: 'http_error', error: `HTTP ${status}`, status, finalUrl, bytes };
  const body = Buffer.concat(chunks).toString('utf8');
  return {
    ok: true,
    status,
    finalUrl,
    body,
    bytes,
    contentType: response.headers.get('content-type') ?? '',
  };
}
