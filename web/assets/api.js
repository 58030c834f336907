// The API client every page uses: JSON in and out, the token from
// localStorage as `Authorization: Bearer`, and the contract's error shape
// ({"error": {code, message, fields}}) turned into an ApiError.

const TOKEN_KEY = 'siaran.token';

export const token = {
  get() {
    try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
  },
  set(value) {
    try { localStorage.setItem(TOKEN_KEY, value); } catch { /* private mode: session only */ }
  },
  clear() {
    try { localStorage.removeItem(TOKEN_KEY); } catch { /* nothing to clear */ }
  },
};

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields ?? null;
  }
}

/**
 * One API call. Returns the parsed JSON body (undefined for 204).
 * opts.body   sent as JSON
 * opts.auth   false to send no token (default: send it when there is one)
 * Throws ApiError with the server's message, or a network one.
 * A 401 on a request that carried a token means the token is dead: it is cleared.
 */
export async function api(path, { method = 'GET', body, auth = true, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const t = auth ? token.get() : null;
  if (t) headers.Authorization = `Bearer ${t}`;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, signal, cache: 'no-store' });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const e = json && typeof json.error === 'object' && json.error ? json.error : {};
    if (res.status === 401 && t) token.clear();
    let message = typeof e.message === 'string' && e.message ? e.message : `${res.status} ${res.statusText}`.trim();
    if (res.status === 429) {
      const after = Number(res.headers.get('Retry-After'));
      if (after > 0) message += ` (try again in ${after} s)`;
    }
    throw new ApiError(res.status, e.code ?? 'http_error', message, e.fields);
  }
  return json;
}

let mePromise;
/** The logged-in user ({id, username, email}) or null; one request per page. */
export function currentUser() {
  if (!mePromise) {
    mePromise = token.get()
      ? api('/api/me/').catch((err) => {
        if (err.status === 401) return null;
        throw err;
      })
      : Promise.resolve(null);
  }
  return mePromise;
}

/** Logs out on the server (best effort), forgets the token, goes to /login. */
export async function logout() {
  if (token.get()) {
    try { await api('/api/logout/', { method: 'POST' }); } catch { /* the token is dropped anyway */ }
  }
  token.clear();
  location.assign('/login');
}
