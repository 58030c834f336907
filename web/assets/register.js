// Sign-up form: POST /api/register/, per-field errors from error.fields,
// then on to the login page with the username filled in.
import { api } from './api.js';
import { initHeader, showFormError, clearFormError, busy } from './ui.js';

initHeader();
const form = document.getElementById('register-form');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  const body = {
    username: form.username.value.trim(),
    email: form.email.value.trim(),
    password: form.password.value,
  };
  const missing = Object.fromEntries(Object.entries(body).filter(([, v]) => !v).map(([k]) => [k, 'required']));
  if (Object.keys(missing).length) {
    showFormError(form, { message: 'Please fill in every field.', fields: missing });
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  try {
    await busy(button, 'Creating account…', () => api('/api/register/', { method: 'POST', body, auth: false }));
    location.assign(`/login?registered=${encodeURIComponent(body.username)}`);
  } catch (err) {
    if (err.code === 'username_taken') err.fields = { username: err.message, ...(err.fields ?? {}) };
    if (err.code === 'email_taken') err.fields = { email: err.message, ...(err.fields ?? {}) };
    showFormError(form, err);
  }
});
