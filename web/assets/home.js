// Home page: who is live now and what ended recently, refreshed every 15 s.
// All text goes in as text: titles and names are user input.
import { api } from './api.js';
import { el, initHeader, statusBadge, timeEl } from './ui.js';

const PLAY_ICON = () => {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M8 5v14l11-7z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
};

function tile(s) {
  const when = s.status === 'live' ? s.started_at : (s.ended_at ?? s.created_at);
  const meta = el('div', { class: 'tile-meta' }, `by ${s.owner.username}`);
  if (s.status === 'live' && typeof s.viewers === 'number') meta.append(` · ${s.viewers} watching`);
  else if (when) meta.append(' · ', timeEl(when));
  return el('li', { class: 'stream-tile', dataset: { id: s.id, status: s.status } },
    el('a', { href: `/watch/${s.id}` },
      el('div', { class: 'tile-thumb' }, statusBadge(s.status), PLAY_ICON()),
      el('div', { class: 'tile-body' }, el('div', { class: 'tile-title' }, s.title), meta)));
}

async function fill(listId, status, limit) {
  const ul = document.getElementById(listId);
  try {
    const body = await api(`/api/streams/?status=${status}&limit=${limit}`, { auth: false });
    const items = body.items.map(tile);
    if (items.length === 0) {
      items.push(el('li', { class: 'empty' },
        status === 'live' ? 'Nobody is live right now. Check back soon.' : 'No streams have ended yet.'));
    }
    ul.replaceChildren(...items);
  } catch (err) {
    ul.replaceChildren(el('li', { class: 'empty', role: 'alert' }, `Could not load streams: ${err.message}`));
  }
}

function refresh() {
  fill('live', 'live', 24);
  fill('ended', 'ended', 12);
}

initHeader().then((user) => {
  if (user) {
    const cta = document.getElementById('cta');
    cta.href = '/dashboard';
    cta.textContent = 'Go to your dashboard';
  }
});
refresh();
setInterval(() => { if (!document.hidden) refresh(); }, 15_000);
