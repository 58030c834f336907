// Login form: username or email + password → token in localStorage → the
// dashboard (or the page that sent us here with ?next=).
import { api, token } from './api.js';
import { el, initHeader, showFormError, clearFormError, busy } from './ui.js';

const form = document.getElementById('login-form');
const notice = document.getElementById('login-notice');
const params = new URLSearchParams(location.search);

function nextPage() {
  const next = params.get('next');
  // Only our own pages: a path, not "//host" or "/\host".
  return next && /^\/(?![/\\])/.test(next) ? next : '/dashboard';
}

const registered = params.get('registered');
if (registered) {
  notice.textContent = 'Your account is ready. Log in to continue.';
  form.username.value = registered;
  form.password.focus();
} else {
  form.username.focus();
}

initHeader().then((user) => {
  if (user && !registered) {
    notice.replaceChildren(`You are logged in as ${user.username}. `, el('a', { href: '/dashboard' }, 'Open your dashboard'));
  }
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  const body = { username: form.username.value.trim(), password: form.password.value };
  if (!body.username || !body.password) {
    const fields = {};
    if (!body.username) fields.username = 'required';
    if (!body.password) fields.password = 'required';
    showFormError(form, { message: 'Enter your username (or email) and password.', fields });
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  try {
    const res = await busy(button, 'Logging in…', () => api('/api/login/', { method: 'POST', body, auth: false }));
    token.set(res.token);
    location.assign(nextPage());
  } catch (err) {
    showFormError(form, err);
    if (err.code === 'invalid_credentials') {
      form.password.value = '';
      form.password.focus();
    }
  }
});
