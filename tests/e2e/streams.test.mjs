// Streams end to end (API.md "Streams"): create (the full stream object,
// validation, auth), the public and owner views of one stream, listing with
// filters, owner=me, paging and parameter validation, the lifecycle
// created → live → ended → live with its 409s, 403 for someone else's
// stream, key rotation, unknown ids, and the seed README's happy path.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, registerAndLogin, assertHealthyAndStop, assertError, assertValidation, ISO_UTC,
} from './lib/server.mjs';

let server;
let alice;
let bob;

before(async () => {
  server = await startServer();
  alice = await registerAndLogin(server, 'alice');
  bob = await registerAndLogin(server, 'bob');
});
after(async () => { await server?.kill(); });

const create = (who, body) => api(server, 'POST', '/api/streams/create/', { token: who.token, body });
const action = (who, id, verb) => api(server, 'POST', `/api/streams/${id}/${verb}/`, who ? { token: who.token } : {});

async function newStream(who, title = 'a stream') {
  const r = await create(who, { title });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const PUBLIC_FIELDS = ['id', 'title', 'description', 'status', 'owner', 'created_at', 'started_at',
  'ended_at', 'hls_url', 'watch_url', 'viewers', 'ingest'];

function assertStreamShape(s, { owner }) {
  for (const f of PUBLIC_FIELDS) assert.ok(Object.hasOwn(s, f), `stream.${f} missing: ${JSON.stringify(s)}`);
  assert.ok(Number.isInteger(s.id) && s.id > 0, `id: ${s.id}`);
  assert.match(s.created_at, ISO_UTC);
  assert.equal(s.hls_url, `${server.url}/hls/${s.id}/index.m3u8`);
  assert.equal(s.watch_url, `${server.url}/watch/${s.id}`);
  assert.equal(typeof s.viewers, 'number');
  if (owner) {
    assert.equal(typeof s.stream_key, 'string');
    assert.ok(s.stream_key.length > 0, 'stream_key is not empty');
    assert.equal(s.rtmp_url, `rtmp://127.0.0.1:${server.rtmpPort}/live`);
  } else {
    assert.ok(!Object.hasOwn(s, 'stream_key'), `no stream_key for non-owners: ${JSON.stringify(s)}`);
    assert.ok(!Object.hasOwn(s, 'rtmp_url'), `no rtmp_url for non-owners: ${JSON.stringify(s)}`);
  }
}

describe('create', () => {
  test('201 with the full stream object, key and URLs for its owner', async () => {
    const r = await create(alice, { title: 'Main bareng malam ini', description: 'Santai saja' });
    assert.equal(r.status, 201, r.text);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json; ?charset=utf-8$/i);
    const s = r.json;
    assertStreamShape(s, { owner: true });
    assert.equal(s.title, 'Main bareng malam ini');
    assert.equal(s.description, 'Santai saja');
    assert.equal(s.status, 'created');
    assert.deepEqual(s.owner, { id: alice.user.id, username: alice.username });
    assert.equal(s.started_at, null);
    assert.equal(s.ended_at, null);
    assert.equal(s.viewers, 0);
    assert.deepEqual(s.ingest, { connected: false, video: null, audio: null, bitrate_kbps: 0 });
    const age = Math.abs(Date.now() - Date.parse(s.created_at));
    assert.ok(age < 24 * 3600 * 1000, `created_at ${s.created_at} is not about now`);
  });

  test('description is optional', async () => {
    const r = await create(alice, { title: 'no description' });
    assert.equal(r.status, 201, r.text);
    assert.ok(r.json.description === null || r.json.description === '',
      `description without one given: ${JSON.stringify(r.json.description)}`);
  });

  test('the title is trimmed; 200 characters (not bytes) and a 5000-character description are accepted', async () => {
    const t = await create(alice, { title: '  padded title  ' });
    assert.equal(t.status, 201, t.text);
    assert.equal(t.json.title, 'padded title');
    const r = await create(alice, { title: 'é'.repeat(200), description: 'd'.repeat(5000) });
    assert.equal(r.status, 201, `200 characters of é (400 bytes) must be accepted: ${r.text}`);
    assert.equal(r.json.title, 'é'.repeat(200));
    assert.equal(r.json.description.length, 5000);
  });

  test('without the trailing slash → 201, no redirect', async () => {
    const r = await api(server, 'POST', '/api/streams/create', { token: alice.token, body: { title: 'no slash' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.title, 'no slash');
  });

  test('every stream gets its own key', async () => {
    const a = await newStream(alice, 'k1');
    const b = await newStream(alice, 'k2');
    assert.notEqual(a.stream_key, b.stream_key);
  });

  test('title problems → 400 validation_failed naming title', async () => {
    for (const body of [{}, { title: '' }, { title: '   ' }, { title: 'x'.repeat(201) }, { title: 5 },
      { title: null }, { description: 'only a description' }]) {
      const r = await create(alice, body);
      assertValidation(assert, r, ['title']);
    }
  });

  test('description problems → 400 naming description', async () => {
    assertValidation(assert, await create(alice, { title: 'ok', description: 'd'.repeat(5001) }), ['description']);
    assertValidation(assert, await create(alice, { title: 'ok', description: 7 }), ['description']);
  });

  test('all problems at once, unknown fields included', async () => {
    const r = await create(alice, { title: 'x'.repeat(201), description: 7, extra: 1 });
    const fields = assertValidation(assert, r, ['title', 'description', 'extra']);
    assert.deepEqual(Object.keys(fields).sort(), ['description', 'extra', 'title'], r.text);
  });

  test('no token → 401 not_authenticated; a bad token → 401 invalid_token', async () => {
    assertError(assert, await api(server, 'POST', '/api/streams/create/', { body: { title: 'x' } }),
      401, 'not_authenticated');
    assertError(assert, await api(server, 'POST', '/api/streams/create/', { token: 'nope', body: { title: 'x' } }),
      401, 'invalid_token');
  });
});

describe('one stream', () => {
  let s;
  before(async () => { s = await newStream(alice, 'visibility'); });

  test('public GET without auth: the stream without stream_key or rtmp_url', async () => {
    const r = await api(server, 'GET', `/api/streams/${s.id}/`);
    assert.equal(r.status, 200, r.text);
    assertStreamShape(r.json, { owner: false });
    assert.equal(r.json.title, 'visibility');
    assert.deepEqual(r.json.owner, { id: alice.user.id, username: alice.username });
  });

  test('another user sees no key either', async () => {
    const r = await api(server, 'GET', `/api/streams/${s.id}/`, { token: bob.token });
    assert.equal(r.status, 200, r.text);
    assertStreamShape(r.json, { owner: false });
  });

  test('the owner sees the key and rtmp_url (also without the trailing slash)', async () => {
    for (const p of [`/api/streams/${s.id}/`, `/api/streams/${s.id}`]) {
      const r = await api(server, 'GET', p, { token: alice.token });
      assert.equal(r.status, 200, `${p}: ${r.text}`);
      assertStreamShape(r.json, { owner: true });
      assert.equal(r.json.stream_key, s.stream_key);
    }
  });

  test('unknown and non-numeric ids → 404 not_found', async () => {
    for (const p of ['/api/streams/999999999/', '/api/streams/abc/', '/api/streams/0/', '/api/streams/-1/',
      '/api/streams/1.5/', '/api/streams/99999999999999999999999/']) {
      assertError(assert, await api(server, 'GET', p), 404, 'not_found');
    }
    for (const verb of ['start', 'stop', 'key/rotate']) {
      assertError(assert, await action(alice, 999999999, verb), 404, 'not_found');
    }
  });
});

describe('lifecycle', () => {
  test('created → start → live; start again → 409 already_live', async () => {
    const s = await newStream(alice, 'lifecycle');
    const live = await action(alice, s.id, 'start');
    assert.equal(live.status, 200, live.text);
    assertStreamShape(live.json, { owner: true });
    assert.equal(live.json.status, 'live');
    assert.match(live.json.started_at ?? '', ISO_UTC, `started_at: ${live.text}`);
    assert.equal(live.json.ended_at, null);
    assertError(assert, await action(alice, s.id, 'start'), 409, 'already_live');
    const seen = await api(server, 'GET', `/api/streams/${s.id}/`);
    assert.equal(seen.json.status, 'live', 'the public view agrees');
  });

  test('live → stop → ended; stop again → 409 not_live; start again → live', async () => {
    const s = await newStream(alice, 'stop me');
    assert.equal((await action(alice, s.id, 'start')).status, 200);
    const ended = await action(alice, s.id, 'stop');
    assert.equal(ended.status, 200, ended.text);
    assert.equal(ended.json.status, 'ended');
    assert.match(ended.json.ended_at ?? '', ISO_UTC, `ended_at: ${ended.text}`);
    assert.match(ended.json.started_at ?? '', ISO_UTC);
    assertError(assert, await action(alice, s.id, 'stop'), 409, 'not_live');

    const relive = await action(alice, s.id, 'start');
    assert.equal(relive.status, 200, relive.text);
    assert.equal(relive.json.status, 'live');
    assert.match(relive.json.started_at ?? '', ISO_UTC);
    assert.equal(relive.json.ended_at, null, 'a live stream has not ended');
  });

  test('stopping a stream that never started → 409 not_live', async () => {
    const s = await newStream(alice, 'never started');
    assertError(assert, await action(alice, s.id, 'stop'), 409, 'not_live');
  });

  test('paths without the trailing slash work for actions', async () => {
    const s = await newStream(alice, 'no slash actions');
    const r = await api(server, 'POST', `/api/streams/${s.id}/start`, { token: alice.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'live');
    const e = await api(server, 'POST', `/api/streams/${s.id}/stop`, { token: alice.token });
    assert.equal(e.status, 200, e.text);
    assert.equal(e.json.status, 'ended');
  });

  test("someone else's stream → 403 forbidden for start, stop and rotate; nothing changes", async () => {
    const s = await newStream(alice, 'not bobs');
    for (const verb of ['start', 'stop', 'key/rotate']) {
      assertError(assert, await action(bob, s.id, verb), 403, 'forbidden');
    }
    assert.equal((await action(alice, s.id, 'start')).status, 200);
    assertError(assert, await action(bob, s.id, 'stop'), 403, 'forbidden');
    const after = await api(server, 'GET', `/api/streams/${s.id}/`, { token: alice.token });
    assert.equal(after.json.status, 'live');
    assert.equal(after.json.stream_key, s.stream_key);
  });

  test('no token → 401 not_authenticated for start, stop and rotate', async () => {
    const s = await newStream(alice, 'anonymous');
    for (const verb of ['start', 'stop', 'key/rotate']) {
      assertError(assert, await action(null, s.id, verb), 401, 'not_authenticated');
    }
  });
});

describe('key rotation', () => {
  test('200 with a new key; the owner view shows the new one', async () => {
    const s = await newStream(alice, 'rotate');
    const r = await action(alice, s.id, 'key/rotate');
    assert.equal(r.status, 200, r.text);
    assertStreamShape(r.json, { owner: true });
    assert.notEqual(r.json.stream_key, s.stream_key);
    assert.equal(r.json.id, s.id);
    const again = await api(server, 'GET', `/api/streams/${s.id}/`, { token: alice.token });
    assert.equal(again.json.stream_key, r.json.stream_key);
    const twice = await action(alice, s.id, 'key/rotate');
    assert.equal(twice.status, 200, twice.text);
    assert.ok(![s.stream_key, r.json.stream_key].includes(twice.json.stream_key), 'each rotation is new');
  });
});

describe('list', () => {
  let carol;
  let ids; // carol's streams, oldest first
  before(async () => {
    carol = await registerAndLogin(server, 'carol');
    ids = [];
    for (let i = 0; i < 5; i++) ids.push((await newStream(carol, `page ${i}`)).id);
    assert.equal((await action(carol, ids[1], 'start')).status, 200);
    assert.equal((await action(carol, ids[2], 'start')).status, 200);
    assert.equal((await action(carol, ids[2], 'stop')).status, 200);
  });

  const list = (q, who) => api(server, 'GET', `/api/streams/${q}`, who ? { token: who.token } : {});

  test('public list: {items, next_before_id}, newest first, never a stream_key', async () => {
    for (const who of [null, carol]) {
      const r = await list('', who);
      assert.equal(r.status, 200, r.text);
      assert.ok(Array.isArray(r.json.items), r.text);
      assert.ok(Object.hasOwn(r.json, 'next_before_id'), r.text);
      assert.ok(r.json.items.length > 0 && r.json.items.length <= 20, `default limit 20: ${r.json.items.length}`);
      const got = r.json.items.map((s) => s.id);
      assert.deepEqual(got, [...got].sort((a, b) => b - a), 'id descending');
      for (const s of r.json.items) {
        assert.ok(!Object.hasOwn(s, 'stream_key'), `no stream_key in lists: ${JSON.stringify(s)}`);
        for (const f of ['id', 'title', 'status', 'owner', 'hls_url', 'watch_url']) {
          assert.ok(Object.hasOwn(s, f), `item.${f} missing: ${JSON.stringify(s)}`);
        }
      }
    }
  });

  test('GET /api/streams without the trailing slash works too', async () => {
    const r = await api(server, 'GET', '/api/streams?owner=me', { token: carol.token });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((s) => s.id), [...ids].reverse());
  });

  test('owner=me: only my streams, newest first, no keys', async () => {
    const r = await list('?owner=me', carol);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((s) => s.id), [...ids].reverse());
    assert.equal(r.json.next_before_id, null, 'five streams fit in one default page');
    for (const s of r.json.items) {
      assert.equal(s.owner.id, carol.user.id);
      assert.ok(!Object.hasOwn(s, 'stream_key'));
    }
  });

  test('status filter', async () => {
    const want = { created: [ids[4], ids[3], ids[0]], live: [ids[1]], ended: [ids[2]] };
    for (const [status, expected] of Object.entries(want)) {
      const r = await list(`?owner=me&status=${status}`, carol);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items.map((s) => s.id), expected, `status=${status}`);
      for (const s of r.json.items) assert.equal(s.status, status);
    }
    const pub = await list('?status=live');
    assert.equal(pub.status, 200, pub.text);
    assert.ok(pub.json.items.some((s) => s.id === ids[1]), 'the live stream is in the public live list');
    for (const s of pub.json.items) assert.equal(s.status, 'live');
  });

  test('paging 5 streams with limit=2 gives each exactly once, newest first', async () => {
    const seen = [];
    let q = '?owner=me&limit=2';
    const pages = [];
    for (let page = 0; page < 10; page++) {
      const r = await list(q, carol);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length <= 2, `limit=2 gave ${r.json.items.length}`);
      pages.push(r.json.items.length);
      seen.push(...r.json.items.map((s) => s.id));
      if (r.json.next_before_id === null) break;
      assert.ok(Number.isInteger(r.json.next_before_id), `next_before_id: ${r.text}`);
      q = `?owner=me&limit=2&before_id=${r.json.next_before_id}`;
    }
    assert.deepEqual(seen, [...ids].reverse(), 'every stream once, newest first');
    assert.deepEqual(pages, [2, 2, 1]);
  });

  test('next_before_id is null when a full page is the last one', async () => {
    const r = await list('?owner=me&limit=5', carol);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 5);
    assert.equal(r.json.next_before_id, null, `no further page exists: ${r.text}`);
  });

  test('before_id alone returns older streams only', async () => {
    const r = await list(`?owner=me&before_id=${ids[3]}`, carol);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((s) => s.id), [ids[2], ids[1], ids[0]]);
  });

  test('default limit is 20 and limit=100 is allowed', async () => {
    const dave = await registerAndLogin(server, 'dave');
    const mine = [];
    for (let i = 0; i < 21; i++) mine.push((await newStream(dave, `many ${i}`)).id);
    const d = await list('?owner=me', dave);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json.items.map((s) => s.id), mine.slice(1).reverse());
    assert.ok(Number.isInteger(d.json.next_before_id), `a further page exists: ${d.text}`);
    const rest = await list(`?owner=me&before_id=${d.json.next_before_id}`, dave);
    assert.deepEqual(rest.json.items.map((s) => s.id), [mine[0]]);
    assert.equal(rest.json.next_before_id, null);
    const max = await list('?owner=me&limit=100', dave);
    assert.equal(max.status, 200, max.text);
    assert.equal(max.json.items.length, 21);
    assert.equal(max.json.next_before_id, null);
  });

  test('bad parameters → 400 validation_failed naming the parameter', async () => {
    for (const [q, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=abc', 'limit'],
      ['limit=-1', 'limit'], ['status=bogus', 'status'], ['before_id=x', 'before_id']]) {
      assertValidation(assert, await list(`?${q}`), [field]);
    }
  });

  test('owner=me without a token → 401 not_authenticated', async () => {
    assertError(assert, await list('?owner=me'), 401, 'not_authenticated');
  });
});

test('the seed README flow: register → login → create → start → stop', async () => {
  const username = `budi_${Math.random().toString(16).slice(2, 10)}`;
  const reg = await api(server, 'POST', '/api/register/', {
    body: { username, email: `${username}@example.com`, password: 'rahasia123' },
  });
  assert.equal(reg.status, 201, reg.text);
  const login = await api(server, 'POST', '/api/login/', { body: { username, password: 'rahasia123' } });
  assert.equal(login.status, 200, login.text);
  const token = login.json.token;
  const c = await api(server, 'POST', '/api/streams/create/', { token, body: { title: 'Main bareng malam ini' } });
  assert.equal(c.status, 201, c.text);
  const start = await api(server, 'POST', `/api/streams/${c.json.id}/start/`, { token });
  assert.equal(start.status, 200, start.text);
  assert.equal(start.json.status, 'live');
  const stop = await api(server, 'POST', `/api/streams/${c.json.id}/stop/`, { token });
  assert.equal(stop.status, 200, stop.text);
  assert.equal(stop.json.status, 'ended');
});

test('server is still healthy and stops with exit code 0', async () => {
  await assertHealthyAndStop(server, assert);
});
