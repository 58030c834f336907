// The creator's dashboard: create streams, list your own (paged), start and
// stop them, the OBS settings to paste (server, hidden key with reveal, copy,
// rotate), and, while a stream is live, its ingest health polled every 2 s
// with a bitrate chart of the last 60 samples.
import { api, token } from './api.js';
import {
  el, initHeader, statusBadge, timeEl, showFormError, clearFormError, busy, copyButton,
  confirmDialog, plural, sentence,
} from './ui.js';
import { Sparkline } from './chart.js';

const PAGE_SIZE = 10;
const POLL_MS = 2000;
const MASK = '•'.repeat(24);

const list = document.getElementById('streams');
const listError = document.getElementById('list-error');
const more = document.getElementById('more');
const form = document.getElementById('create-form');
const cards = new Map();
let nextBeforeId = null;

function toLogin() {
  location.replace('/login?next=/dashboard');
}

/** 401 anywhere means the token is gone (api.js cleared it): back to login. */
function authGuard(err) {
  if (err && err.status === 401) {
    toLogin();
    return true;
  }
  return false;
}

const fmt = {
  codec: (c) => (c ? String(c).toUpperCase() : '—'),
  fps: (f) => (typeof f === 'number' && f > 0 ? `${Math.round(f * 100) / 100} fps` : '—'),
  res: (v) => (v && v.width && v.height ? `${v.width}×${v.height}` : '—'),
  audio: (a) => {
    if (!a) return '—';
    const parts = [fmt.codec(a.codec)];
    if (a.sample_rate) parts.push(`${Math.round(a.sample_rate / 100) / 10} kHz`);
    if (a.channels) parts.push(a.channels === 1 ? 'mono' : a.channels === 2 ? 'stereo' : `${a.channels} ch`);
    return parts.join(' · ');
  },
  kbps: (b) => (typeof b === 'number' ? `${Math.round(b).toLocaleString()} kb/s` : '—'),
};

class StreamCard {
  /** open: show the OBS settings (newest, new and live streams); others start folded. */
  constructor(stream, { open = false } = {}) {
    this.s = stream;
    this.revealed = false;
    this.polling = false;
    const id = stream.id;
    const keyId = `key-${id}`;

    this.titleLink = el('a', { href: `/watch/${id}` });
    this.badge = el('span');
    this.when = el('span');
    this.viewers = el('span', { class: 'viewers' });
    this.startBtn = el('button', { type: 'button', class: 'btn btn-live', dataset: { action: 'start' } }, 'Start stream');
    this.stopBtn = el('button', { type: 'button', class: 'btn btn-danger', dataset: { action: 'stop' } }, 'Stop stream');
    this.watchLink = el('a', { class: 'btn', href: `/watch/${id}`, dataset: { action: 'watch' } }, 'Watch page');
    this.startBtn.addEventListener('click', () => this.lifecycle('start'));
    this.stopBtn.addEventListener('click', () => this.lifecycle('stop'));
    this.desc = el('p', { class: 'stream-card-desc' });
    this.error = el('div', { class: 'alert alert-error card-error', role: 'alert' });
    this.notice = el('div', { class: 'alert alert-ok card-error', role: 'status' });

    // OBS settings
    this.server = el('code', { class: 'obs-server' });
    this.key = el('code', { class: 'obs-key masked', id: keyId, 'aria-label': 'Stream key (hidden)' }, MASK);
    this.revealBtn = el('button', {
      type: 'button', class: 'btn btn-sm', 'aria-controls': keyId, 'aria-pressed': 'false', dataset: { action: 'reveal' },
    }, 'Reveal');
    this.revealBtn.addEventListener('click', () => { this.revealed = !this.revealed; this.renderKey(); });
    this.rotateBtn = el('button', { type: 'button', class: 'btn btn-sm btn-danger', dataset: { action: 'rotate' } }, 'Rotate key');
    this.rotateBtn.addEventListener('click', () => this.rotate());
    this.obsNote = el('p', { class: 'muted small', style: 'margin:0' });
    const obs = el('section', { class: 'obs', 'aria-label': 'OBS settings' },
      el('p', { class: 'muted small', style: 'margin:0' }, 'In OBS: Settings → Stream → Service "Custom…", then paste these two.'),
      el('div', { class: 'obs-row' },
        el('span', { class: 'obs-label' }, 'Server'),
        el('div', { class: 'obs-value' }, this.server, copyButton(() => this.s.rtmp_url ?? '', 'Copy', 'server URL'))),
      el('div', { class: 'obs-row' },
        el('span', { class: 'obs-label' }, 'Stream key'),
        el('div', { class: 'obs-value' }, this.key, this.revealBtn,
          copyButton(() => this.s.stream_key ?? '', 'Copy', 'stream key'), this.rotateBtn)),
      this.obsNote);

    // ingest health (live only)
    this.stat = {};
    const stat = (name, label) => {
      this.stat[name] = el('dd', {}, '—');
      return el('div', { class: 'stat', dataset: { stat: name } }, el('dt', {}, label), this.stat[name]);
    };
    this.canvas = el('canvas', { role: 'img', 'aria-label': 'Ingest bitrate over the last two minutes' });
    this.chart = new Sparkline(this.canvas, { size: 60 });
    this.chartMax = el('span');
    this.health = el('section', { class: 'health', 'aria-label': 'Ingest health' },
      el('h4', { class: 'obs-title' }, 'Ingest health'),
      el('dl', { class: 'health-grid', style: 'margin:0' },
        stat('connected', 'Encoder'), stat('video', 'Video'), stat('resolution', 'Resolution'),
        stat('fps', 'Frame rate'), stat('audio', 'Audio'), stat('bitrate', 'Bitrate')),
      el('div', { class: 'chart-wrap' },
        el('div', { class: 'chart-head' }, el('span', {}, 'Bitrate · last 2 minutes'), this.chartMax),
        this.canvas));

    this.summary = el('summary', {}, 'OBS settings');
    this.details = el('details', { class: 'stream-more', open: open || stream.status === 'live' },
      this.summary, el('div', { class: 'stream-card-body' }, obs, this.health));
    this.root = el('li', { class: 'card stream-card', dataset: { id } },
      el('div', { class: 'stream-card-head' },
        el('div', { class: 'stream-card-title' },
          el('h3', {}, this.titleLink),
          el('div', { class: 'meta' }, this.badge, this.when, this.viewers),
          this.desc),
        el('div', { class: 'btn-row' }, this.startBtn, this.stopBtn, this.watchLink)),
      this.error, this.notice, this.details);
    this.render();
  }

  get id() { return this.s.id; }
  get live() { return this.s.status === 'live'; }

  update(stream, { sample = false } = {}) {
    const wasLive = this.live;
    this.s = stream;
    if (this.live && !wasLive) {
      this.chart.samples = [];
      this.details.open = true;
    }
    this.render();
    if (this.live && sample) this.sample();
  }

  sample() {
    const ing = this.s.ingest ?? {};
    this.chart.push(ing.connected ? ing.bitrate_kbps ?? 0 : 0);
    const peak = Math.max(0, ...this.chart.samples);
    this.chartMax.textContent = peak > 0 ? `peak ${fmt.kbps(peak)}` : 'no data yet';
  }

  render() {
    const s = this.s;
    this.titleLink.textContent = s.title;
    this.badge.replaceWith(this.badge = statusBadge(s.status));
    const whenText = { live: 'Live since ', ended: 'Ended ', created: 'Created ' }[s.status] ?? '';
    const whenIso = { live: s.started_at, ended: s.ended_at }[s.status] ?? s.created_at;
    this.when.replaceChildren(whenText, timeEl(whenIso));
    this.viewers.textContent = this.live ? `${plural(s.viewers ?? 0, 'viewer')} now` : '';
    this.viewers.hidden = !this.live;
    this.startBtn.hidden = this.live;
    this.startBtn.textContent = s.status === 'ended' ? 'Start again' : 'Start stream';
    this.stopBtn.hidden = !this.live;
    this.desc.textContent = s.description ?? '';
    this.desc.hidden = !s.description;
    this.server.textContent = s.rtmp_url ?? '';
    this.renderKey();
    this.obsNote.textContent = this.live
      ? 'Publishing is open: press "Start Streaming" in OBS.'
      : 'OBS can connect while the stream is live: press "Start stream" first.';
    this.health.hidden = !this.live;
    this.summary.textContent = this.live ? 'OBS settings and ingest health' : 'OBS settings';
    if (this.live) this.renderHealth();
  }

  renderKey() {
    const shown = this.revealed && this.s.stream_key;
    this.key.textContent = shown ? this.s.stream_key : MASK;
    this.key.classList.toggle('masked', !shown);
    this.key.setAttribute('aria-label', shown ? 'Stream key' : 'Stream key (hidden)');
    this.revealBtn.textContent = this.revealed ? 'Hide' : 'Reveal';
    this.revealBtn.setAttribute('aria-pressed', String(this.revealed));
  }

  renderHealth() {
    const ing = this.s.ingest ?? {};
    const v = ing.video;
    const connected = Boolean(ing.connected);
    this.stat.connected.replaceChildren(el('span', { class: connected ? 'yes' : 'no' },
      connected ? 'Connected' : 'Not connected'));
    this.stat.video.textContent = fmt.codec(v?.codec);
    this.stat.resolution.textContent = fmt.res(v);
    this.stat.fps.textContent = fmt.fps(v?.fps);
    this.stat.audio.textContent = fmt.audio(ing.audio);
    this.stat.bitrate.textContent = connected ? fmt.kbps(ing.bitrate_kbps) : '—';
  }

  showError(err) {
    this.notice.textContent = '';
    this.error.textContent = err ? sentence(err.message) : '';
  }

  async lifecycle(verb) {
    const btn = verb === 'start' ? this.startBtn : this.stopBtn;
    this.showError(null);
    try {
      const s = await busy(btn, verb === 'start' ? 'Starting…' : 'Stopping…',
        () => api(`/api/streams/${this.id}/${verb}/`, { method: 'POST' }));
      this.update(s, { sample: true });
      (verb === 'start' ? this.stopBtn : this.startBtn).focus();
      schedulePoll();
    } catch (err) {
      if (authGuard(err)) return;
      this.showError(err);
      if (err.status === 409) this.refresh();
    }
  }

  async rotate() {
    const ok = await confirmDialog({
      title: 'Rotate the stream key?',
      message: 'The current key stops working at once. You will need to paste the new key into OBS before you can stream again.',
      confirmLabel: 'Rotate key',
      danger: true,
    });
    if (!ok) return;
    this.showError(null);
    try {
      const s = await busy(this.rotateBtn, 'Rotating…',
        () => api(`/api/streams/${this.id}/key/rotate/`, { method: 'POST' }));
      this.update(s);
      this.notice.textContent = 'New stream key ready. Update it in OBS.';
    } catch (err) {
      if (!authGuard(err)) this.showError(err);
    }
  }

  async refresh() {
    try {
      this.update(await api(`/api/streams/${this.id}/`), { sample: true });
    } catch (err) {
      authGuard(err);
    }
  }
}

function showEmpty() {
  if (cards.size === 0 && !list.querySelector('.empty')) {
    list.append(el('li', { class: 'empty' }, 'No streams yet. Create your first one to get your OBS settings.'));
  }
}

function addCard(stream, { atTop = false, open = false } = {}) {
  if (cards.has(stream.id)) return cards.get(stream.id);
  list.querySelector('.empty')?.remove();
  const card = new StreamCard(stream, { open });
  cards.set(stream.id, card);
  if (atTop) list.prepend(card.root); else list.append(card.root);
  if (card.live) card.sample();
  return card;
}

async function loadPage() {
  listError.textContent = '';
  const q = new URLSearchParams({ owner: 'me', limit: String(PAGE_SIZE) });
  if (nextBeforeId) q.set('before_id', String(nextBeforeId));
  try {
    const body = await api(`/api/streams/?${q}`);
    for (const s of body.items) addCard(s, { open: cards.size === 0 });
    nextBeforeId = body.next_before_id ?? null;
    more.hidden = !nextBeforeId;
    showEmpty();
    schedulePoll();
  } catch (err) {
    if (!authGuard(err)) listError.textContent = `Could not load your streams: ${err.message}`;
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

// One poll loop for every live stream on the page; stops when none is live.
let pollTimer = null;
function schedulePoll() {
  if (pollTimer === null && [...cards.values()].some((c) => c.live)) {
    pollTimer = setTimeout(poll, POLL_MS);
  }
}
async function poll() {
  const live = [...cards.values()].filter((c) => c.live);
  await Promise.all(live.map(async (c) => {
    try {
      c.update(await api(`/api/streams/${c.id}/`), { sample: true });
    } catch (err) {
      authGuard(err);
    }
  }));
  pollTimer = null;
  schedulePoll();
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  const title = form.title.value.trim();
  const description = form.description.value.trim();
  if (!title) {
    showFormError(form, { message: 'Give your stream a title.', fields: { title: 'required' } });
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  try {
    const s = await busy(button, 'Creating…',
      () => api('/api/streams/create/', { method: 'POST', body: description ? { title, description } : { title } }));
    form.reset();
    const card = addCard(s, { atTop: true, open: true });
    card.notice.textContent = 'Stream created. Paste the settings below into OBS, then press Start stream.';
    card.root.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    card.startBtn.focus({ preventScroll: true });
  } catch (err) {
    if (!authGuard(err)) showFormError(form, err);
  }
});

more.addEventListener('click', () => busy(more, 'Loading…', loadPage));

// Keep "Live since 3 minutes ago" honest.
setInterval(() => { for (const c of cards.values()) c.render(); }, 30_000);

window.addEventListener('resize', () => { for (const c of cards.values()) if (c.live) c.chart.draw(); });

if (!token.get()) {
  toLogin();
} else {
  initHeader().then((user) => {
    if (!user) { toLogin(); return; }
    document.getElementById('dash-sub').textContent = `Signed in as @${user.username}`;
    loadPage();
  }).catch((err) => {
    listError.textContent = `Could not load your account: ${err.message}`;
  });
}
