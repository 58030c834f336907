// Small DOM helpers shared by the pages, and the site header (login state,
// logout). Text always goes in as text nodes: titles, names and messages come
// from users or the server and are never parsed as HTML.
import { currentUser, logout } from './api.js';

/**
 * el('a', {href: '/x', class: 'btn'}, 'text', otherNode)
 * Attributes: `class`, `dataset` (object), `on` (object of listeners),
 * booleans (true sets an empty attribute, false/null/undefined skip), the rest as attributes.
 * Children: strings become text nodes; null/false are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Sets an element's text (or hides it when empty). */
export function setText(node, text) {
  node.textContent = text ?? '';
}

export function statusBadge(status) {
  const label = { live: 'Live', ended: 'Ended', created: 'Not started' }[status] ?? status;
  return el('span', { class: `badge badge-${status}`, dataset: { status } }, label);
}

const rtf = typeof Intl.RelativeTimeFormat === 'function' ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;
/** "3 minutes ago" for an ISO time (falls back to the local date). */
export function timeAgo(iso) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((t - Date.now()) / 1000);
  const abs = Math.abs(s);
  if (!rtf) return new Date(t).toLocaleString();
  if (abs < 45) return 'just now';
  if (abs < 45 * 60) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(s / 3600), 'hour');
  if (abs < 26 * 86400) return rtf.format(Math.round(s / 86400), 'day');
  return new Date(t).toLocaleDateString();
}

/** A <time> element showing timeAgo, with the exact local time as tooltip. */
export function timeEl(iso) {
  return el('time', { datetime: iso, title: iso ? new Date(iso).toLocaleString() : null }, timeAgo(iso));
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** "must be …" → "Must be …": server messages read as sentences. */
export function sentence(text) {
  const t = String(text ?? '');
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

/**
 * Shows an API error on a form: the message in the form's alert, each
 * `fields` entry under its input (matched by name), focus on the first bad field.
 */
export function showFormError(form, err) {
  clearFormError(form);
  const alert = form.querySelector('[data-role="form-error"]');
  let first = null;
  if (err && err.fields) {
    for (const [name, msg] of Object.entries(err.fields)) {
      const input = form.elements.namedItem(name);
      const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
      if (slot) slot.textContent = sentence(msg);
    }
    first = form.querySelector('[aria-invalid="true"]'); // the first in form order
  }
  if (alert) alert.textContent = sentence(err?.message ?? 'Something went wrong.');
  if (first) first.focus();
  else if (alert) alert.focus?.();
}

export function clearFormError(form) {
  const alert = form.querySelector('[data-role="form-error"]');
  if (alert) alert.textContent = '';
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** Disables a button while a promise runs; shows `busyLabel` meanwhile. */
export async function busy(button, busyLabel, fn) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (busyLabel) button.textContent = busyLabel;
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (busyLabel) button.textContent = label;
  }
}

/** Copies text; works without the async clipboard (plain http on a LAN address). */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall back below */ }
  }
  const ta = el('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true' });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  return ok;
}

/** A "Copy" button for a value given by a function (read at click time). */
export function copyButton(getValue, label = 'Copy', what = '') {
  const b = el('button', { type: 'button', class: 'btn btn-sm', 'aria-label': what ? `Copy ${what}` : null }, label);
  let timer;
  b.addEventListener('click', async () => {
    const ok = await copyText(getValue());
    b.textContent = ok ? 'Copied' : 'Copy failed';
    clearTimeout(timer);
    timer = setTimeout(() => { b.textContent = label; }, 1500);
  });
  return b;
}

/**
 * A modal yes/no question with <dialog>; resolves true on confirm.
 * Esc and "Cancel" resolve false. Focus returns to where it was.
 */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const cancel = el('button', { type: 'button', class: 'btn', value: 'cancel' }, 'Cancel');
    const ok = el('button', { type: 'button', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, value: 'ok' }, confirmLabel);
    const heading = el('h2', { id: `dlg-${Math.random().toString(36).slice(2)}` }, title);
    const dlg = el('dialog', { class: 'confirm', 'aria-labelledby': heading.id },
      heading, el('p', {}, message), el('div', { class: 'btn-row' }, cancel, ok));
    let result = false;
    cancel.addEventListener('click', () => dlg.close());
    ok.addEventListener('click', () => { result = true; dlg.close(); });
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (back && back.focus) back.focus();
      resolve(result);
    });
    document.body.append(dlg);
    dlg.showModal();
    cancel.focus();
  });
}

/** Fills the header's <nav id="site-nav"> with links for the login state. */
export async function initHeader() {
  const nav = document.getElementById('site-nav');
  if (!nav) return null;
  let user = null;
  try { user = await currentUser(); } catch { user = null; }
  const here = location.pathname;
  const link = (href, text, extra = {}) => el('a', { href, 'aria-current': here === href ? 'page' : null, ...extra }, text);
  nav.replaceChildren();
  if (user) {
    const out = el('button', { type: 'button', class: 'btn btn-sm btn-ghost', id: 'logout' }, 'Log out');
    out.addEventListener('click', () => busy(out, 'Logging out…', logout));
    nav.append(
      link('/', 'Home'),
      link('/dashboard', 'Dashboard'),
      el('span', { class: 'nav-user', title: user.username }, `@${user.username}`),
      out,
    );
  } else {
    nav.append(
      link('/', 'Home'),
      link('/login', 'Log in'),
      el('a', { href: '/register', class: 'btn btn-sm btn-primary', 'aria-current': here === '/register' ? 'page' : null }, 'Sign up'),
    );
  }
  return user;
}

/** Stream id from /watch/{id} or /overlay/{id}. */
export function pathId() {
  const m = /\/(\d+)\/?$/.exec(location.pathname);
  return m ? Number(m[1]) : null;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
