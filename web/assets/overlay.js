// OBS Browser Source for /overlay/{id}. Alerts and comments come later; for
// now, with ?debug=1, it shows which stream it is bound to in a corner so the
// creator can check the URL in OBS. Without debug it draws nothing.
import { api } from './api.js';
import { pathId } from './ui.js';

const debug = new URLSearchParams(location.search).get('debug') === '1';
const box = document.getElementById('overlay-debug');
const id = pathId();

async function showDebug() {
  const tag = document.createElement('b');
  tag.textContent = 'Siaran overlay';
  const text = document.createElement('span');
  box.replaceChildren(tag, ' · ', text);
  box.hidden = false;
  try {
    const s = await api(`/api/streams/${id}/`, { auth: false });
    text.textContent = `${s.title} (${s.status})`;
    document.title = `Overlay · ${s.title}`;
  } catch (err) {
    text.textContent = err.status === 404 ? `stream ${id} not found` : err.message;
  }
}

if (debug && id) showDebug();
