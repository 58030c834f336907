// HTTP behaviour and errors end to end: the error envelope and request ids,
// 404/405 (with Allow), 415, invalid JSON and validation reporting, body and
// header limits (413, 431) with their boundaries, malformed requests,
// keep-alive, Connection: close and pipelining on raw sockets, clients that
// stay silent or trickle their headers (a second server with a 1 s header
// timeout), /healthz, /metrics, the OpenAPI document, Swagger UI and its
// static files (ETag/304, no path traversal).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  startServer, api, registerAndLogin, uniqueName, rawRequest, rawExchange, parseResponses, RawClient,
  assertHealthyAndStop, assertError, assertValidation,
} from './lib/server.mjs';

let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.kill(); });

const KiB = 1024;
const get = (p) => `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const getClose = (p) => `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
const register = (opts) => api(server, 'POST', '/api/register/', opts);
const validAccount = () => {
  const username = uniqueName('http');
  return { username, email: `${username}@example.com`, password: 'rahasia123' };
};

/** The first response in raw bytes, parsed; fails with the bytes when there is none. */
function firstResponse(data, what) {
  const [r] = parseResponses(data);
  assert.ok(r, `${what}: no complete HTTP response in ${JSON.stringify(data.slice(0, 500))}`);
  return r;
}

function assertRawError(r, status, code, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.body.slice(0, 500)}`);
  assert.match(r.headers['content-type'] ?? '', /^application\/json/i, `${what}: content-type`);
  assert.ok(r.json?.error, `${what}: error envelope in ${r.body.slice(0, 500)}`);
  if (code) assert.equal(r.json.error.code, code, `${what}: ${r.body}`);
  assert.equal(typeof r.json.error.message, 'string', what);
  assert.ok(r.headers['x-request-id'], `${what}: X-Request-Id`);
}

describe('basics and request ids', () => {
  test('GET /healthz → 200 {"status":"ok"} as JSON', async () => {
    const r = await api(server, 'GET', '/healthz');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { status: 'ok' });
    assert.match(r.headers.get('content-type') ?? '', /^application\/json; ?charset=utf-8$/i);
  });

  test('every response carries a non-empty X-Request-Id, errors and 404s included', async () => {
    const responses = [
      await api(server, 'GET', '/healthz'),
      await api(server, 'GET', '/api/nope/'),
      await api(server, 'GET', '/definitely-not-a-page'),
      await api(server, 'GET', '/api/me/'),
      await api(server, 'GET', '/api/register/'),
      await register({ raw: '{' }),
    ];
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const [i, id] of ids.entries()) assert.ok(id && id.length > 0, `response ${i} (${responses[i].status}) has no X-Request-Id`);
    assert.equal(new Set(ids).size, ids.length, `generated ids are distinct: ${ids}`);
  });

  test('a sane client X-Request-Id is echoed back', async () => {
    for (const id of ['trace-123.abc_XYZ', 'a', 'x'.repeat(64)]) {
      const r = await api(server, 'GET', '/healthz', { headers: { 'X-Request-Id': id } });
      assert.equal(r.headers.get('x-request-id'), id);
    }
    const err = await api(server, 'GET', '/api/nope/', { headers: { 'X-Request-Id': 'err-trace-1' } });
    assert.equal(err.status, 404);
    assert.equal(err.headers.get('x-request-id'), 'err-trace-1', 'echoed on errors too');
  });

  test('an unsafe or too long X-Request-Id is replaced by a generated one', async () => {
    for (const id of ['x'.repeat(65), 'bad id', 'bad/id', 'a"b', 'semi;colon']) {
      const r = await api(server, 'GET', '/healthz', { headers: { 'X-Request-Id': id } });
      const got = r.headers.get('x-request-id');
      assert.ok(got && got.length > 0 && got.length <= 64, `generated id for ${JSON.stringify(id)}: ${got}`);
      assert.notEqual(got, id);
      assert.match(got, /^[A-Za-z0-9._-]+$/);
    }
  });
});

describe('routing errors', () => {
  test('unknown API route → 404 not_found JSON', async () => {
    for (const [m, p] of [['GET', '/api/nope/'], ['POST', '/api/nope/'], ['GET', '/api/streams/1/nope/']]) {
      assertError(assert, await api(server, m, p), 404, 'not_found');
    }
  });

  test('unknown page → 404', async () => {
    const r = await api(server, 'GET', '/definitely-not-a-page');
    assert.equal(r.status, 404, r.text);
  });

  test('wrong method → 405 method_not_allowed with Allow', async () => {
    const wrong = [];
    for (const [m, p, allowed] of [
      ['GET', '/api/register/', 'POST'],
      ['GET', '/api/register', 'POST'],
      ['PUT', '/api/login/', 'POST'],
      ['GET', '/api/logout/', 'POST'],
      ['DELETE', '/api/me/', 'GET'],
      ['GET', '/api/streams/create/', 'POST'],
      ['DELETE', '/api/streams/1/', 'GET'],
      ['GET', '/api/streams/1/start/', 'POST'],
      ['POST', '/healthz', 'GET'],
    ]) {
      const r = await api(server, m, p);
      const allow = r.headers.get('allow') ?? '';
      if (r.status !== 405 || r.json?.error?.code !== 'method_not_allowed') {
        wrong.push(`${m} ${p} → ${r.status} ${r.text}`);
      } else if (!allow.split(/\s*,\s*/).includes(allowed)) {
        wrong.push(`${m} ${p}: Allow "${allow}" should list ${allowed}`);
      } else {
        assertError(assert, r, 405, 'method_not_allowed');
      }
    }
    assert.deepEqual(wrong, [], 'each should be 405 method_not_allowed with Allow');
  });
});

describe('request bodies', () => {
  test('a POST with Content-Type text/plain → 415 unsupported_media_type', async () => {
    const r = await register({ raw: JSON.stringify(validAccount()), headers: { 'Content-Type': 'text/plain' } });
    assertError(assert, r, 415, 'unsupported_media_type');
  });

  test('application/json with a charset parameter is accepted', async () => {
    const r = await register({
      raw: JSON.stringify(validAccount()), headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    assert.equal(r.status, 201, r.text);
  });

  test('unparseable JSON or a non-object → 400 invalid_json', async () => {
    for (const raw of ['{"username":', '[]', '"just a string"', '42', 'null', 'true', '{"a":1} trailing', "{'a':1}", '']) {
      const r = await register({ raw });
      assertError(assert, r, 400, 'invalid_json');
      assert.ok(!Object.hasOwn(r.json.error, 'fields'), `no fields for invalid_json: ${r.text}`);
    }
  });

  test('wrong types → 400 validation_failed naming all three fields', async () => {
    const r = await register({ body: { username: 5, email: true, password: [] } });
    assertValidation(assert, r, ['username', 'email', 'password']);
  });

  test('missing fields → all listed', async () => {
    const r = await register({ body: {} });
    const fields = assertValidation(assert, r, ['username', 'email', 'password']);
    assert.deepEqual(Object.keys(fields).sort(), ['email', 'password', 'username']);
  });

  test('an unknown field → 400 validation_failed with fields.admin', async () => {
    const r = await register({ body: { ...validAccount(), admin: true } });
    const fields = assertValidation(assert, r, ['admin']);
    assert.deepEqual(Object.keys(fields), ['admin'], `only admin is wrong: ${r.text}`);
  });

  test('a body of exactly 64 KiB is read (not 413)', async () => {
    const head = '{"username":"ab"';
    const raw = head + ' '.repeat(64 * KiB - head.length - 1) + '}';
    assert.equal(Buffer.byteLength(raw), 65536);
    const r = await register({ raw });
    assertValidation(assert, r, ['username', 'email', 'password']);
  });

  test('a 65 KiB body with Content-Length → 413 payload_too_large', async () => {
    const body = `{"username":"${'x'.repeat(65 * KiB - 15)}"}`;
    assert.equal(Buffer.byteLength(body), 65 * KiB);
    const req = 'POST /api/register/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
      + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const r = firstResponse(await rawRequest(server, req), '65 KiB body');
    assertRawError(r, 413, 'payload_too_large', '65 KiB body');
  });

  test('one byte over 64 KiB → 413', async () => {
    const body = `{"username":"${'x'.repeat(64 * KiB + 1 - 15)}"}`;
    assert.equal(Buffer.byteLength(body), 64 * KiB + 1);
    const req = 'POST /api/register/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
      + `Content-Length: ${body.length}\r\n\r\n${body}`;
    assertRawError(firstResponse(await rawRequest(server, req), '64 KiB + 1'), 413, 'payload_too_large', '64 KiB + 1');
  });

  test('a huge Content-Length is refused at once, before any body arrives', async () => {
    const req = 'POST /api/register/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
      + 'Content-Length: 1000000000\r\n\r\n{';
    const r = firstResponse(await rawRequest(server, req, { timeoutMs: 3000 }), 'Content-Length 1e9');
    assertRawError(r, 413, 'payload_too_large', 'Content-Length 1e9');
  });
});

describe('header limits', () => {
  test('a header block over 16 KiB → 431 headers_too_large', async () => {
    const req = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17 * KiB)}\r\n\r\n`;
    assertRawError(firstResponse(await rawRequest(server, req), 'big header'), 431, 'headers_too_large', 'big header');
  });

  test('more than 100 header fields → 431', async () => {
    let req = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n';
    for (let i = 0; i < 100; i++) req += `X-H${i}: v\r\n`; // 101 fields with Host
    assertRawError(firstResponse(await rawRequest(server, `${req}\r\n`), '101 fields'), 431, 'headers_too_large', '101 fields');
  });

  test('just under the limits is fine: a 15 KiB header, 100 fields', async () => {
    const big = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: ${'a'.repeat(15 * KiB)}\r\n\r\n`;
    assert.equal(firstResponse(await rawRequest(server, big), '15 KiB header').status, 200);
    let many = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n';
    for (let i = 0; i < 98; i++) many += `X-H${i}: v\r\n`; // 100 fields
    assert.equal(firstResponse(await rawRequest(server, `${many}\r\n`), '100 fields').status, 200);
  });
});

describe('malformed requests', () => {
  for (const [name, req] of [
    ['a garbage request line', 'GARBAGE\r\n\r\n'],
    ['a header line without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'],
    ['an invalid Content-Length', 'POST /api/register/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
  ]) {
    test(`${name} → 400 JSON error, then the server closes the connection`, async () => {
      const ex = await rawExchange(server, req, { timeoutMs: 5000 });
      assertRawError(firstResponse(ex.data, name), 400, null, name);
      assert.ok(ex.closed, `${name}: the server must close the connection`);
    });
  }
});

describe('connections', () => {
  test('keep-alive: two requests on one connection are both answered', async () => {
    const c = await RawClient.connect(server);
    try {
      c.write(get('/healthz'));
      const [a] = await c.responses(1);
      assert.equal(a.status, 200);
      assert.deepEqual(a.json, { status: 'ok' });
      assert.notEqual((a.headers.connection ?? '').toLowerCase(), 'close');
      c.write(get('/api/nope/'));
      const [b] = await c.responses(1);
      assert.equal(b.status, 404);
      c.write(get('/healthz'));
      const [d] = await c.responses(1);
      assert.equal(d.status, 200);
    } finally {
      c.close();
    }
  });

  test('Connection: close is honoured', async () => {
    const ex = await rawExchange(server, getClose('/healthz'), { timeoutMs: 5000 });
    assert.equal(firstResponse(ex.data, 'Connection: close').status, 200);
    assert.ok(ex.closed, 'the server closes after the response');
  });

  test('pipelining: three requests in one write → three 200s in order', async () => {
    const c = await RawClient.connect(server);
    try {
      const req = (n) => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: pipe-${n}\r\n\r\n`;
      c.write(req(1) + req(2) + req(3));
      const rs = await c.responses(3);
      assert.deepEqual(rs.map((r) => r.status), [200, 200, 200]);
      assert.deepEqual(rs.map((r) => r.headers['x-request-id']), ['pipe-1', 'pipe-2', 'pipe-3']);
    } finally {
      c.close();
    }
  });

  test('pipelining keeps order across different routes and request bodies', async () => {
    const c = await RawClient.connect(server);
    try {
      const body = JSON.stringify({ username: 'x' });
      const post = 'POST /api/register/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
        + `Content-Length: ${body.length}\r\n\r\n${body}`;
      c.write(get('/healthz') + post + get('/api/nope/') + get('/healthz'));
      const rs = await c.responses(4);
      assert.deepEqual(rs.map((r) => r.status), [200, 400, 404, 200]);
      assert.equal(rs[1].json?.error?.code, 'validation_failed');
    } finally {
      c.close();
    }
  });

  test('a request split into single bytes is answered', async () => {
    const c = await RawClient.connect(server);
    try {
      for (const ch of get('/healthz')) {
        c.write(ch);
        await new Promise((r) => setImmediate(r));
      }
      const [r] = await c.responses(1);
      assert.equal(r.status, 200);
    } finally {
      c.close();
    }
  });

  test('silent and half-sent clients do not stop others from being served', async () => {
    const silent = await RawClient.connect(server);
    const partial = await RawClient.connect(server);
    try {
      partial.write('GET /healthz HTTP/1.1\r\nHost: 127');
      const h = await api(server, 'GET', '/healthz');
      assert.equal(h.status, 200, h.text);
      const u = await registerAndLogin(server, 'busy');
      const me = await api(server, 'GET', '/api/me/', { token: u.token });
      assert.equal(me.status, 200, me.text);
      // The half-sent request still completes normally.
      partial.write('.0.0.1\r\n\r\n');
      const [r] = await partial.responses(1);
      assert.equal(r.status, 200);
    } finally {
      silent.close();
      partial.close();
    }
  });
});

describe('header timeout (own server, SIARAN_HTTP_HEADER_TIMEOUT_MS=1000)', () => {
  let slow;
  before(async () => { slow = await startServer({ env: { SIARAN_HTTP_HEADER_TIMEOUT_MS: '1000' } }); });
  after(async () => { await slow?.kill(); });

  const allowedClose = (data, what) => {
    assert.ok(data === '' || /^HTTP\/1\.1 408 /.test(data), `${what}: only a 408 may come before the close, got ${JSON.stringify(data.slice(0, 300))}`);
  };

  test('an incomplete header block is closed by the server within 5 s', async () => {
    const ex = await rawExchange(slow, 'GET / HTTP/1.1\r\n', { timeoutMs: 5000 });
    assert.ok(ex.closed, 'the server must close a client that never finishes its headers');
    allowedClose(ex.data, 'incomplete headers');
  });

  test('a client trickling header bytes slowly is closed within 5 s', async () => {
    const c = await RawClient.connect(slow);
    let timer;
    try {
      c.write('GET / HTTP/1.1\r\nX-Slow: ');
      timer = setInterval(() => { if (!c.closed) c.write('a'); }, 200);
      const closed = await c.waitClosed(5000);
      assert.ok(closed, 'a byte every 200 ms must not keep the header timeout from firing');
      allowedClose(c.buf, 'trickled headers');
    } finally {
      clearInterval(timer);
      c.close();
    }
  });

  test('a connection that sends nothing at all is closed within 5 s', async () => {
    const ex = await rawExchange(slow, '', { timeoutMs: 5000 });
    assert.ok(ex.closed, 'an idle new connection must not be kept forever');
    allowedClose(ex.data, 'idle connection');
  });

  test('while those wait, others are served', async () => {
    const hanging = await RawClient.connect(slow);
    try {
      hanging.write('GET / HTTP/1.1\r\n');
      const r = await api(slow, 'GET', '/healthz');
      assert.equal(r.status, 200);
    } finally {
      hanging.close();
    }
  });

  test('header-timeout server is still healthy and stops with exit code 0', async () => {
    await assertHealthyAndStop(slow, assert);
  });
});

describe('operations endpoints', () => {
  /** Parses Prometheus text into {"name{labels}": number}; fails on a non-number. */
  function parseMetrics(text) {
    const out = {};
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)(?:\s+\d+)?$/.exec(line);
      assert.ok(m, `not a Prometheus sample line: ${JSON.stringify(line)}`);
      const v = Number(m[2]);
      assert.ok(!Number.isNaN(v) || m[2] === 'NaN', `value of ${m[1]} is not a number: ${m[2]}`);
      out[m[1]] = v;
    }
    return out;
  }

  async function metrics() {
    const r = await api(server, 'GET', '/metrics');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; ?version=0\.0\.4(;|$)/);
    return parseMetrics(r.text);
  }

  const WANTED = ['siaran_http_requests_total{class="2xx"}', 'siaran_http_connections_open',
    'siaran_users_total', 'siaran_streams{status="live"}'];

  test('GET /metrics → Prometheus text with the foundation series', async () => {
    const m = await metrics();
    for (const name of WANTED) assert.ok(Object.hasOwn(m, name), `${name} missing in ${Object.keys(m).join(', ')}`);
    assert.ok(m['siaran_http_connections_open'] >= 1, 'this very connection is open');
  });

  test('the numbers follow users, streams and requests', async () => {
    const m0 = await metrics();
    const u = await registerAndLogin(server, 'metric');
    const c = await api(server, 'POST', '/api/streams/create/', { token: u.token, body: { title: 'counted' } });
    assert.equal(c.status, 201, c.text);
    assert.equal((await api(server, 'POST', `/api/streams/${c.json.id}/start/`, { token: u.token })).status, 200);
    const m1 = await metrics();
    assert.equal(m1['siaran_users_total'], m0['siaran_users_total'] + 1, 'one more user');
    assert.equal(m1['siaran_streams{status="live"}'], m0['siaran_streams{status="live"}'] + 1, 'one more live stream');
    assert.ok(m1['siaran_http_requests_total{class="2xx"}'] >= m0['siaran_http_requests_total{class="2xx"}'] + 4,
      '2xx requests are counted');
    assert.equal((await api(server, 'POST', `/api/streams/${c.json.id}/stop/`, { token: u.token })).status, 200);
    const m2 = await metrics();
    assert.equal(m2['siaran_streams{status="live"}'], m0['siaran_streams{status="live"}'], 'back after stop');
  });

  test('GET /api/openapi.json → OpenAPI 3.1 with the foundation paths', async () => {
    const r = await api(server, 'GET', '/api/openapi.json');
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/i);
    assert.ok(r.json, 'the document is JSON');
    assert.match(String(r.json.openapi), /^3\.1/);
    assert.equal(typeof r.json.paths, 'object');
    for (const p of ['/api/register/', '/api/login/', '/api/logout/', '/api/me/', '/api/streams/',
      '/api/streams/create/', '/api/streams/{id}/', '/api/streams/{id}/start/', '/api/streams/{id}/stop/',
      '/api/streams/{id}/key/rotate/']) {
      assert.ok(Object.hasOwn(r.json.paths, p), `paths["${p}"] missing`);
    }
  });

  test('GET /docs/ → Swagger UI whose assets all load', async () => {
    const r = await api(server, 'GET', '/docs/');
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/i);
    assert.match(r.text, /swagger/i);
    const refs = [...r.text.matchAll(/(?:src|href)\s*=\s*["']([^"']+\.(?:js|css))["']/gi)]
      .map((m) => m[1]).filter((u) => !/^(?:https?:)?\/\//.test(u));
    assert.ok(refs.some((u) => u.endsWith('.js')), `the page references a script: ${refs}`);
    assert.ok(refs.some((u) => u.endsWith('.css')), `the page references a stylesheet: ${refs}`);
    let all = r.text;
    for (const ref of refs) {
      const url = new URL(ref, `${server.url}/docs/`);
      const a = await fetch(url);
      const body = await a.text();
      assert.equal(a.status, 200, `${url.pathname} → ${a.status}`);
      assert.ok(body.length > 0, `${url.pathname} is empty`);
      if (ref.endsWith('.js')) assert.match(a.headers.get('content-type') ?? '', /javascript/i, url.pathname);
      if (ref.endsWith('.css')) assert.match(a.headers.get('content-type') ?? '', /^text\/css/i, url.pathname);
      all += body;
    }
    assert.ok(all.includes('/api/openapi.json'), 'Swagger UI is pointed at /api/openapi.json');
  });

  test('static files: ETag and If-None-Match → 304 without a body', async () => {
    for (const p of ['/docs/', '/docs/swagger-ui.css']) {
      const r = await fetch(server.url + p);
      await r.arrayBuffer();
      assert.equal(r.status, 200, p);
      const etag = r.headers.get('etag');
      assert.ok(etag, `${p} has an ETag`);
      const again = await fetch(server.url + p, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304, `${p} with If-None-Match`);
      assert.equal(await again.text(), '', '304 has no body');
      const other = await fetch(server.url + p, { headers: { 'If-None-Match': '"not-the-etag"' } });
      assert.equal(other.status, 200, `${p} with a stale ETag`);
      await other.arrayBuffer();
    }
  });

  test('path traversal is refused (400 or 404) and leaks nothing', async () => {
    for (const p of ['/docs/../../etc/passwd', '/docs/%2e%2e/%2e%2e/etc/passwd', '/docs/..%2f..%2fetc/passwd',
      '/docs/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/docs/....//....//etc/passwd',
      '/docs/..\\..\\etc\\passwd', '/docs/%252e%252e/%252e%252e/etc/passwd', '/docs/index.html%00.css',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/vendor/video.js/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/docs/%2e%2e/%2e%2e/package.json']) {
      const data = await rawRequest(server, getClose(p), { timeoutMs: 3000 });
      const r = firstResponse(data, p);
      assert.ok([400, 404].includes(r.status), `${p} → ${r.status}`);
      assert.ok(!data.includes('root:'), `${p} leaked /etc/passwd`);
      assert.ok(!data.includes('"dependencies"'), `${p} leaked a package.json`);
    }
  });
});

test('server is still healthy and stops with exit code 0', async () => {
  await assertHealthyAndStop(server, assert);
});
