// Persistence across restarts: accounts, live tokens (and logged-out tokens
// staying dead), streams with their status, times and keys survive stopping
// the server (a clean exit 0 each time) and starting a new one on the same
// data directory; the new process reports its own RTMP port in rtmp_url.
// Also: a request in flight when SIGTERM arrives still gets its answer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, api, registerAndLogin, uniqueName, assertHealthyAndStop } from './lib/server.mjs';

const started = [];
const dirs = [];
async function start(opts) {
  const s = await startServer(opts);
  started.push(s);
  return s;
}
after(async () => {
  for (const s of started) await s.kill();
  if (!process.env.SIARAN_E2E_KEEP) {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  }
});

test('accounts, tokens and streams survive a restart', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'siaran-e2e-restart-'));
  dirs.push(dataDir);

  // First life.
  const first = await start({ dataDir });
  const u = await registerAndLogin(first, 'keep');
  const second = await api(first, 'POST', '/api/login/', { body: { username: u.username, password: u.password } });
  assert.equal(second.status, 200, second.text);
  const dead = second.json.token;
  const out = await api(first, 'POST', '/api/logout/', { token: dead });
  assert.equal(out.status, 204, out.text);

  const created = await api(first, 'POST', '/api/streams/create/', {
    token: u.token, body: { title: 'persist', description: 'kept across restarts' },
  });
  assert.equal(created.status, 201, created.text);
  const s = created.json;
  const live = await api(first, 'POST', `/api/streams/${s.id}/start/`, { token: u.token });
  assert.equal(live.status, 200, live.text);
  const idle = await api(first, 'POST', '/api/streams/create/', { token: u.token, body: { title: 'never started' } });
  assert.equal(idle.status, 201, idle.text);

  await assertHealthyAndStop(first, assert);

  // Second life, same data dir.
  const again = await start({ dataDir });
  const me = await api(again, 'GET', '/api/me/', { token: u.token });
  assert.equal(me.status, 200, `the token must survive a restart: ${me.text}`);
  assert.equal(me.json.id, u.user.id);
  assert.equal(me.json.username, u.username);

  const gone = await api(again, 'GET', '/api/me/', { token: dead });
  assert.equal(gone.status, 401, `a logged-out token stays dead: ${gone.text}`);
  assert.equal(gone.json?.error?.code, 'invalid_token', gone.text);

  const got = await api(again, 'GET', `/api/streams/${s.id}/`, { token: u.token });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.status, 'live');
  assert.equal(got.json.stream_key, s.stream_key, 'the same key');
  assert.equal(got.json.title, 'persist');
  assert.equal(got.json.description, 'kept across restarts');
  assert.equal(got.json.created_at, s.created_at);
  assert.equal(got.json.started_at, live.json.started_at);
  assert.deepEqual(got.json.owner, { id: u.user.id, username: u.username });
  assert.equal(got.json.rtmp_url, `rtmp://127.0.0.1:${again.rtmpPort}/live`, 'rtmp_url uses the new RTMP port');
  assert.equal(got.json.hls_url, `${again.url}/hls/${s.id}/index.m3u8`);

  const list = await api(again, 'GET', '/api/streams/?owner=me', { token: u.token });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((x) => [x.id, x.status]), [[idle.json.id, 'created'], [s.id, 'live']]);

  // Still usable: login works, the stream can be stopped, new ids do not collide.
  const login = await api(again, 'POST', '/api/login/', { body: { username: u.username, password: u.password } });
  assert.equal(login.status, 200, login.text);
  const stop = await api(again, 'POST', `/api/streams/${s.id}/stop/`, { token: u.token });
  assert.equal(stop.status, 200, stop.text);
  assert.equal(stop.json.status, 'ended');
  const next = await api(again, 'POST', '/api/streams/create/', { token: u.token, body: { title: 'after restart' } });
  assert.equal(next.status, 201, next.text);
  assert.ok(next.json.id > idle.json.id, `new ids keep growing: ${next.json.id}`);
  const dup = await api(again, 'POST', '/api/register/', {
    body: { username: u.username, email: `x_${u.email}`, password: 'rahasia123' },
  });
  assert.equal(dup.status, 409, `usernames stay taken: ${dup.text}`);

  await assertHealthyAndStop(again, assert);
});

test('a request in flight when SIGTERM arrives still gets its answer', async () => {
  const server = await start();
  const username = uniqueName('inflight');
  // Warm up so the POST goes out on an already open keep-alive connection.
  assert.equal((await api(server, 'GET', '/healthz')).status, 200);
  // Registration hashes the password off the loop, so it is likely still running when SIGTERM lands.
  const pending = api(server, 'POST', '/api/register/', {
    body: { username, email: `${username}@example.com`, password: 'rahasia123' },
  });
  await new Promise((r) => setTimeout(r, 20));
  const stopping = server.stop();
  const r = await pending;
  assert.equal(r.status, 201, r.text);
  const exit = await stopping;
  assert.deepEqual(exit, { code: 0, signal: null }, server.stderr().slice(-4000));
});
