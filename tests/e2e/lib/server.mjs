// Shared helpers for the end-to-end suites: start the real siaran binary on
// free loopback ports with a temporary data dir, wait for its machine-readable
// "listening" line, stop it with SIGTERM (suites assert exit code 0), and talk
// to it with fetch (api), with whole users (registerAndLogin), or with raw TCP
// bytes (rawRequest, rawExchange, RawClient, parseResponses) for the HTTP
// protocol tests that fetch would normalise away.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts `siaran serve`.
 * opts.env      extra environment (wins over the defaults below)
 * opts.dataDir  reuse a data dir (restart tests); otherwise a fresh temp dir
 * opts.keepDataDir  do not delete the temp dir on stop()
 * Returns {url, httpAddr, rtmpAddr, rtmpPort, dataDir, proc, stderr(), exited, stop()}.
 * stop() sends SIGTERM and resolves {code, signal}; after 10 s it SIGKILLs and throws.
 */
export async function startServer(opts = {}) {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? await fs.mkdtemp(path.join(os.tmpdir(), 'siaran-e2e-'));
  const bin = process.env.SIARAN_BIN ?? path.join(repoRoot, 'build/siaran');
  const verbose = Boolean(process.env.SIARAN_E2E_VERBOSE);
  const env = {
    ...process.env,
    SIARAN_HTTP_ADDR: '127.0.0.1:0',
    SIARAN_RTMP_ADDR: '127.0.0.1:0',
    SIARAN_DATA_DIR: dataDir,
    SIARAN_LOG_LEVEL: 'warn',
    ...(opts.env ?? {}),
  };
  const proc = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });

  let err = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    err += d;
    if (verbose) process.stderr.write(d);
    if (err.length > 1_000_000) err = err.slice(-500_000);
  });
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const spawnError = new Promise((_, reject) => {
    proc.on('error', (e) => reject(new Error(`cannot start ${bin}: ${e.message}`)));
  });

  const listening = new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: proc.stdout });
    rl.on('line', (line) => {
      if (verbose) process.stderr.write(`[siaran stdout] ${line}\n`);
      let j;
      try { j = JSON.parse(line); } catch { return; }
      if (j && j.event === 'listening' && typeof j.http === 'string') resolve(j);
    });
    exited.then((r) => reject(new Error(`siaran exited before listening ${JSON.stringify(r)}; stderr:\n${err}`)));
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`siaran did not print its listening line within 15 s; stderr:\n${err}`)), START_TIMEOUT_MS);
  });
  let ready;
  try {
    ready = await Promise.race([listening, timeout, spawnError]);
  } catch (e) {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }

  const rtmpPort = ready.rtmp ? Number(ready.rtmp.split(':').pop()) : undefined;
  return {
    url: `http://${ready.http}`,
    httpAddr: ready.http,
    rtmpAddr: ready.rtmp,
    rtmpPort,
    dataDir,
    proc,
    exited,
    stderr: () => err,
    get running() { return proc.exitCode === null && proc.signalCode === null; },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      let t;
      const r = await Promise.race([
        exited,
        new Promise((resolve) => { t = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); }),
      ]);
      clearTimeout(t);
      if (r === null) {
        proc.kill('SIGKILL');
        await exited;
        throw new Error(`siaran did not exit within 10 s of SIGTERM; stderr tail:\n${err.slice(-4000)}`);
      }
      if (ownDir && !opts.keepDataDir && !process.env.SIARAN_E2E_KEEP) {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
      return r;
    },
    /** For after() hooks: make sure nothing is left running, whatever happened. */
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * One HTTP request with fetch.
 * opts.body  a value sent as JSON (Content-Type application/json unless given)
 * opts.raw   a string/Buffer sent as is (Content-Type application/json unless given)
 * opts.token adds `Authorization: Bearer <token>` unless an Authorization header is given
 * Returns {status, headers, json, text}; json is undefined when the body is not JSON.
 */
export async function api(server, method, p, opts = {}) {
  const headers = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  let body;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  if (opts.token) headers.authorization ??= `Bearer ${opts.token}`;
  const res = await fetch(server.url + p, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

/** A valid, unique username: `<prefix>_<10 hex>`, at most 32 characters. */
export function uniqueName(prefix = 'u') {
  return `${prefix}_${crypto.randomBytes(5).toString('hex')}`.slice(0, 32);
}

/** Registers a fresh user and logs in: {user, token, password, username, email}. */
export async function registerAndLogin(server, prefix = 'u') {
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const password = `pw-${crypto.randomBytes(6).toString('hex')}`;
  const r = await api(server, 'POST', '/api/register/', { body: { username, email, password } });
  if (r.status !== 201) throw new Error(`register ${username}: ${r.status} ${r.text}`);
  const l = await api(server, 'POST', '/api/login/', { body: { username, password } });
  if (l.status !== 200) throw new Error(`login ${username}: ${l.status} ${l.text}`);
  return { user: l.json.user, token: l.json.token, password, username, email };
}

function hostPort(server) {
  const i = server.httpAddr.lastIndexOf(':');
  return { host: server.httpAddr.slice(0, i), port: Number(server.httpAddr.slice(i + 1)) };
}

/**
 * Opens a TCP connection, writes `data`, and collects what the server sends
 * until it closes the connection or timeoutMs passes.
 * Resolves {data (latin1 string), closed (true when the server closed), ms}.
 */
export function rawExchange(server, data, { timeoutMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(hostPort(server));
    const chunks = [];
    const t0 = Date.now();
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: Buffer.concat(chunks).toString('latin1'), closed, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('connect', () => sock.write(data));
    sock.on('data', (d) => chunks.push(d));
    // The server may answer and close before it has read everything we sent
    // (413, 431): a reset or broken pipe then still counts as "closed".
    sock.on('error', (e) => {
      if (['ECONNRESET', 'EPIPE'].includes(e.code)) finish(true);
      else if (!done) { done = true; clearTimeout(timer); reject(e); }
    });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
  });
}

/** rawExchange, returning only the bytes received (as a latin1 string). */
export async function rawRequest(server, data, opts = {}) {
  return (await rawExchange(server, data, opts)).data;
}

/**
 * Parses a string of one or more HTTP/1.1 responses (Content-Length or
 * chunked bodies; without either, the body runs to the end).
 * Returns [{status, reason, headers (lower-case names), body, json}].
 * A trailing incomplete response is left out.
 */
export function parseResponses(str, { bodiless = false } = {}) {
  const out = [];
  let pos = 0;
  while (pos < str.length) {
    const headEnd = str.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) break;
    const lines = str.slice(pos, headEnd).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!m) throw new Error(`not an HTTP status line: ${JSON.stringify(lines[0])}`);
    const headers = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const status = Number(m[1]);
    let bodyStart = headEnd + 4;
    let body = '';
    let next;
    if (bodiless || status === 304 || status === 204 || (status >= 100 && status < 200)) {
      next = bodyStart;
    } else if (headers['content-length'] !== undefined) {
      const len = Number(headers['content-length']);
      if (bodyStart + len > str.length) break;
      body = str.slice(bodyStart, bodyStart + len);
      next = bodyStart + len;
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      let p = bodyStart;
      let complete = false;
      for (;;) {
        const e = str.indexOf('\r\n', p);
        if (e < 0) break;
        const size = parseInt(str.slice(p, e), 16);
        if (size === 0) {
          const end = str.indexOf('\r\n\r\n', e);
          if (end >= 0) { next = end + 4; complete = true; } else if (str.slice(e, e + 4) === '\r\n\r\n') { next = e + 4; complete = true; }
          break;
        }
        if (e + 2 + size + 2 > str.length) break;
        body += str.slice(e + 2, e + 2 + size);
        p = e + 2 + size + 2;
      }
      if (!complete) break;
    } else {
      body = str.slice(bodyStart);
      next = str.length;
    }
    let json;
    try { json = JSON.parse(Buffer.from(body, 'latin1').toString('utf8')); } catch { json = undefined; }
    out.push({ status, reason: m[2] ?? '', headers, body, json });
    pos = next;
  }
  return out;
}

/**
 * A raw TCP client for keep-alive and pipelining: write bytes, then wait for
 * a number of complete responses, or for the server to close.
 */
export class RawClient {
  static async connect(server) {
    const c = new RawClient();
    await new Promise((resolve, reject) => {
      c.sock = net.connect(hostPort(server), resolve);
      c.sock.once('error', reject);
    });
    c.buf = '';
    c.closed = false;
    c.waiters = [];
    c.sock.on('data', (d) => { c.buf += d.toString('latin1'); c.wake(); });
    c.sock.on('error', () => {});
    c.sock.on('close', () => { c.closed = true; c.wake(); });
    return c;
  }

  wake() { for (const w of this.waiters.splice(0)) w(); }

  write(data) { this.sock.write(data); }

  async until(cond, timeoutMs, what) {
    const t0 = Date.now();
    while (!cond()) {
      const left = timeoutMs - (Date.now() - t0);
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received so far:\n${this.buf}`);
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Waits until n complete responses have arrived since the last call; returns them. */
  async responses(n, timeoutMs = 5000) {
    await this.until(() => parseResponses(this.buf).length >= n || this.closed, timeoutMs, `${n} response(s)`);
    const got = parseResponses(this.buf);
    if (got.length < n) throw new Error(`connection closed after ${got.length} of ${n} responses; received:\n${this.buf}`);
    this.buf = '';
    return got;
  }

  /** Resolves true if the server closes the connection within timeoutMs. */
  async waitClosed(timeoutMs) {
    try {
      await this.until(() => this.closed, timeoutMs, 'the server to close the connection');
      return true;
    } catch {
      return false;
    }
  }

  close() { this.sock.destroy(); }
}

/** Every suite ends with this: the server still answers /healthz and stops with exit code 0. */
export async function assertHealthyAndStop(server, assert) {
  const h = await api(server, 'GET', '/healthz');
  assert.equal(h.status, 200, `/healthz: ${h.status} ${h.text}`);
  assert.deepEqual(h.json, { status: 'ok' });
  const r = await server.stop();
  assert.deepEqual(r, { code: 0, signal: null },
    `siaran exit ${JSON.stringify(r)}; stderr tail:\n${server.stderr().slice(-4000)}`);
}

/** Asserts the contract's error shape and code; returns the error object. */
export function assertError(assert, res, status, code) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.ok(res.json && typeof res.json.error === 'object' && res.json.error !== null,
    `error body must be {"error":{...}}, got: ${res.text}`);
  assert.equal(res.json.error.code, code, `error code, body: ${res.text}`);
  assert.equal(typeof res.json.error.message, 'string', `error.message, body: ${res.text}`);
  assert.ok(res.json.error.message.length > 0, `error.message is empty: ${res.text}`);
  if (res.headers?.get) {
    assert.match(res.headers.get('content-type') ?? '', /^application\/json; ?charset=utf-8$/i,
      `content-type of an error: ${res.headers.get('content-type')}`);
  }
  return res.json.error;
}

/** Asserts a 400 validation_failed naming at least these fields; returns fields. */
export function assertValidation(assert, res, fieldNames) {
  const e = assertError(assert, res, 400, 'validation_failed');
  assert.ok(e.fields && typeof e.fields === 'object', `validation error without fields: ${res.text}`);
  for (const f of fieldNames) {
    assert.ok(Object.hasOwn(e.fields, f), `fields.${f} missing in: ${res.text}`);
    assert.equal(typeof e.fields[f], 'string', `fields.${f} should be a message: ${res.text}`);
  }
  return e.fields;
}

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
