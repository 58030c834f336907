// Accounts end to end (API.md "Accounts"): register (shape, validation,
// case-insensitive uniqueness), login by username or email, the token format,
// both Authorization schemes, /api/me/, logout killing exactly one token, and
// the per-account login rate limit (on a server of its own, so the per-IP
// limit and the other tests cannot interfere).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startServer, api, registerAndLogin, uniqueName, assertHealthyAndStop, assertError,
  assertValidation, ISO_UTC,
} from './lib/server.mjs';

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.kill(); });

function newAccount(prefix = 'acc') {
  const username = uniqueName(prefix);
  return { username, email: `${username}@example.com`, password: 'rahasia123' };
}

const register = (body) => api(server, 'POST', '/api/register/', { body });
const login = (username, password) => api(server, 'POST', '/api/login/', { body: { username, password } });

describe('register', () => {
  test('201 with {id, username, email, created_at} and nothing secret', async () => {
    const a = newAccount();
    const r = await register(a);
    assert.equal(r.status, 201, r.text);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json; ?charset=utf-8$/i);
    assert.ok(r.headers.get('x-request-id'), 'X-Request-Id header');
    assert.deepEqual(Object.keys(r.json).sort(), ['created_at', 'email', 'id', 'username'], r.text);
    assert.ok(Number.isInteger(r.json.id) && r.json.id > 0, r.text);
    assert.equal(r.json.username, a.username);
    assert.equal(r.json.email, a.email);
    assert.match(r.json.created_at, ISO_UTC);
    const age = Math.abs(Date.now() - Date.parse(r.json.created_at));
    assert.ok(age < 24 * 3600 * 1000, `created_at ${r.json.created_at} is not about now`);
    assert.ok(!r.text.includes(a.password), 'the password must not be echoed');
    assert.ok(!/hash|password|argon/i.test(r.text), `no password or hash in: ${r.text}`);
  });

  test('a path without the trailing slash works the same (no redirect)', async () => {
    const r = await api(server, 'POST', '/api/register', { body: newAccount() });
    assert.equal(r.status, 201, r.text);
  });

  test('usernames of exactly 3 and 32 characters, and an 8-character password, are accepted', async () => {
    const hex = crypto.randomBytes(16).toString('hex');
    const u3 = `a${hex.slice(0, 2)}`;
    const u32 = `B_${hex.slice(0, 30)}`;
    for (const username of [u3, u32]) {
      const r = await register({ username, email: `${username}@example.com`, password: '12345678' });
      // a 3-char name can collide with an earlier run only within this server: it is fresh.
      assert.equal(r.status, 201, `${username}: ${r.text}`);
    }
  });

  test('duplicate username → 409 username_taken, also with different case', async () => {
    const a = newAccount();
    assert.equal((await register(a)).status, 201);
    const same = await register({ ...a, email: `other_${a.email}` });
    assertError(assert, same, 409, 'username_taken');
    const upper = await register({ ...a, username: a.username.toUpperCase(), email: `upper_${a.email}` });
    assertError(assert, upper, 409, 'username_taken');
  });

  test('duplicate email → 409 email_taken, also with different case', async () => {
    const a = newAccount();
    assert.equal((await register(a)).status, 201);
    const same = await register({ ...a, username: uniqueName('dup') });
    assertError(assert, same, 409, 'email_taken');
    const upper = await register({ ...a, username: uniqueName('dup'), email: a.email.toUpperCase() });
    assertError(assert, upper, 409, 'email_taken');
  });

  test('invalid usernames → 400 validation_failed naming username', async () => {
    for (const username of ['ab', 'a'.repeat(33), 'has-dash', 'has space', 'dot.ted', 'émile', '']) {
      const r = await register({ ...newAccount(), username });
      assertValidation(assert, r, ['username']);
      assert.deepEqual(Object.keys(r.json.error.fields), ['username'], `only username is wrong: ${r.text}`);
    }
  });

  test('invalid emails → 400 validation_failed naming email', async () => {
    for (const email of ['not-an-email', 'user@', '@example.com', 'two@@example.com', '']) {
      const r = await register({ ...newAccount(), email });
      assertValidation(assert, r, ['email']);
      assert.deepEqual(Object.keys(r.json.error.fields), ['email'], `${email}: ${r.text}`);
    }
  });

  test('a 7-character password → 400 validation_failed naming password', async () => {
    const r = await register({ ...newAccount(), password: '1234567' });
    assertValidation(assert, r, ['password']);
    assert.deepEqual(Object.keys(r.json.error.fields), ['password'], r.text);
  });

  test('every problem is reported at once', async () => {
    const r = await register({ username: 'x', email: 'nope', password: 'short' });
    assertValidation(assert, r, ['username', 'email', 'password']);
  });

  test('a rejected registration creates nothing: the same data then succeeds', async () => {
    const a = newAccount();
    assertValidation(assert, await register({ ...a, password: 'short' }), ['password']);
    assert.equal((await register(a)).status, 201);
  });
});

describe('login', () => {
  let acct;
  let id;
  before(async () => {
    acct = newAccount('login');
    const r = await register(acct);
    assert.equal(r.status, 201, r.text);
    id = r.json.id;
  });

  test('by username → 200 {token, user:{id, username, email}}', async () => {
    const r = await login(acct.username, acct.password);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), ['token', 'user'], r.text);
    assert.match(r.json.token, TOKEN_RE, 'token is 43 characters of base64url');
    assert.deepEqual(r.json.user, { id, username: acct.username, email: acct.email });
  });

  test('by email → 200 for the same user', async () => {
    const r = await login(acct.email, acct.password);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.id, id);
  });

  test('each login gives a different token', async () => {
    const a = await login(acct.username, acct.password);
    const b = await login(acct.username, acct.password);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.notEqual(a.json.token, b.json.token);
  });

  test('wrong password and unknown user → 401 invalid_credentials (same code)', async () => {
    assertError(assert, await login(acct.username, 'wrong-password'), 401, 'invalid_credentials');
    assertError(assert, await login(uniqueName('ghost'), 'whatever123'), 401, 'invalid_credentials');
  });

  test('missing fields → 400 validation_failed naming both', async () => {
    const r = await api(server, 'POST', '/api/login/', { body: {} });
    assertValidation(assert, r, ['username', 'password']);
  });
});

describe('tokens, /api/me/ and logout', () => {
  let u;
  before(async () => { u = await registerAndLogin(server, 'me'); });

  test('GET /api/me/ with Bearer and with Token → 200 user', async () => {
    for (const scheme of ['Bearer', 'Token']) {
      const r = await api(server, 'GET', '/api/me/', { headers: { Authorization: `${scheme} ${u.token}` } });
      assert.equal(r.status, 200, `${scheme}: ${r.text}`);
      assert.equal(r.json.id, u.user.id);
      assert.equal(r.json.username, u.username);
      assert.equal(r.json.email, u.email);
      assert.ok(!/hash|password/i.test(r.text), `nothing secret in /api/me/: ${r.text}`);
    }
  });

  test('GET /api/me without the trailing slash → 200, no redirect', async () => {
    const r = await api(server, 'GET', '/api/me', { token: u.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, u.user.id);
  });

  test('no Authorization, or an unsupported scheme → 401 not_authenticated', async () => {
    assertError(assert, await api(server, 'GET', '/api/me/'), 401, 'not_authenticated');
    const basic = await api(server, 'GET', '/api/me/', {
      headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    });
    assertError(assert, basic, 401, 'not_authenticated');
  });

  test('an unknown token → 401 invalid_token', async () => {
    const fake = crypto.randomBytes(32).toString('base64url');
    assertError(assert, await api(server, 'GET', '/api/me/', { token: fake }), 401, 'invalid_token');
    assertError(assert, await api(server, 'GET', '/api/me/', { token: 'garbage' }), 401, 'invalid_token');
  });

  test('logout → 204 empty; that token is dead everywhere, other tokens of the user still work', async () => {
    const second = await login(u.username, u.password);
    assert.equal(second.status, 200, second.text);
    const doomed = second.json.token;
    assert.equal((await api(server, 'GET', '/api/me/', { token: doomed })).status, 200);

    const out = await api(server, 'POST', '/api/logout/', { token: doomed });
    assert.equal(out.status, 204, out.text);
    assert.equal(out.text, '', 'a 204 has no body');

    assertError(assert, await api(server, 'GET', '/api/me/', { token: doomed }), 401, 'invalid_token');
    assertError(assert, await api(server, 'GET', '/api/me/', { headers: { Authorization: `Token ${doomed}` } }),
      401, 'invalid_token');
    const create = await api(server, 'POST', '/api/streams/create/', { token: doomed, body: { title: 'x' } });
    assertError(assert, create, 401, 'invalid_token');
    assertError(assert, await api(server, 'POST', '/api/logout/', { token: doomed }), 401, 'invalid_token');

    const still = await api(server, 'GET', '/api/me/', { token: u.token });
    assert.equal(still.status, 200, `the user's other token must survive: ${still.text}`);
  });

  test('logout without a token → 401 not_authenticated', async () => {
    assertError(assert, await api(server, 'POST', '/api/logout/'), 401, 'not_authenticated');
  });
});

describe('login rate limit (own server)', () => {
  let rl;
  before(async () => { rl = await startServer(); });
  after(async () => { await rl?.kill(); });

  test('after 10 failed logins the account gets 429 rate_limited with Retry-After, even with the right password', async () => {
    const victim = await registerAndLogin(rl, 'rl');
    const bystander = await registerAndLogin(rl, 'rlok');
    const attempt = (username, password) => api(rl, 'POST', '/api/login/', { body: { username, password } });

    for (let i = 1; i <= 10; i++) {
      assertError(assert, await attempt(victim.username, `wrong-${i}-password`), 401, 'invalid_credentials');
    }
    const limited = await attempt(victim.username, 'wrong-11-password');
    assertError(assert, limited, 429, 'rate_limited');
    const retry = limited.headers.get('retry-after');
    assert.match(retry ?? '', /^\d+$/, `Retry-After is a number of seconds, got ${retry}`);
    assert.ok(Number(retry) > 0 && Number(retry) <= 600, `Retry-After ${retry} within the 10-minute window`);

    const right = await attempt(victim.username, victim.password);
    assertError(assert, right, 429, 'rate_limited');
    assert.ok(right.headers.get('retry-after'), 'Retry-After on every 429');

    // Existing tokens are not affected by the login limit.
    assert.equal((await api(rl, 'GET', '/api/me/', { token: victim.token })).status, 200);
    // Another account from the same address is not locked out.
    const other = await attempt(bystander.username, bystander.password);
    assert.equal(other.status, 200, `another account must still log in: ${other.text}`);
  });

  test('the account limit also applies when logging in by email or with another letter case', async () => {
    const victim = await registerAndLogin(rl, 'rlmail');
    const attempt = (username, password) => api(rl, 'POST', '/api/login/', { body: { username, password } });
    for (let i = 1; i <= 10; i++) {
      const who = i % 2 ? victim.username : victim.username.toUpperCase();
      assertError(assert, await attempt(who, `wrong-${i}-password`), 401, 'invalid_credentials');
    }
    assertError(assert, await attempt(victim.username, victim.password), 429, 'rate_limited');
    assertError(assert, await attempt(victim.email, victim.password), 429, 'rate_limited');
  });

  test('rate-limit server is still healthy and stops with exit code 0', async () => {
    await assertHealthyAndStop(rl, assert);
  });
});

test('server is still healthy and stops with exit code 0', async () => {
  await assertHealthyAndStop(server, assert);
});
