// /watch/{id}: the stream's details and its HLS in Video.js.
// The stream object is polled every 2 s. While the stream is live and the
// player is not running yet, the playlist is probed (it answers 404 until the
// first segment exists) and the player starts when it answers 200. When the
// status turns `ended` the page says so, without a reload.
import { api } from './api.js';
import { el, initHeader, pathId, statusBadge, timeEl, plural } from './ui.js';

const POLL_MS = 2000;
// While the encoder is not connected the playlist cannot be new: probe it less often.
const IDLE_PROBE_EVERY = 5;

const id = pathId();
const $ = (x) => document.getElementById(x);
const ui = {
  state: $('player-state'),
  spinner: $('state-spinner'),
  icon: $('state-icon'),
  stateTitle: $('state-title'),
  stateText: $('state-text'),
  slot: $('player-slot'),
  title: $('stream-title'),
  status: $('stream-status'),
  ownerLine: $('stream-owner-line'),
  owner: $('stream-owner'),
  viewers: $('stream-viewers'),
  when: $('stream-when'),
  desc: $('stream-description'),
};

// Line icons for the overlay states (drawn, not fonts or emoji).
const ICONS = {
  offline: [['circle', { cx: 12, cy: 12, r: 9.5 }], ['path', { d: 'M12 7v5l3.5 2' }]],
  ended: [['circle', { cx: 12, cy: 12, r: 9.5 }], ['rect', { x: 8.5, y: 8.5, width: 7, height: 7, rx: 1, fill: 'currentColor' }]],
  error: [['path', { d: 'M12 3.5 2.5 20h19z' }], ['path', { d: 'M12 10v4.5M12 17.2v.3' }]],
};
function icon(kind) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' })) svg.setAttribute(k, v);
  for (const [tag, attrs] of ICONS[kind]) {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    svg.append(n);
  }
  return svg;
}

let stream = null;
let player = null;
let probing = false;
let tick = 0;

/**
 * The overlay over the player. kind: loading | offline | waiting | ended | error | none.
 */
function setState(kind, title = '', text = '', extra = null) {
  ui.state.dataset.state = kind;
  ui.state.hidden = kind === 'none';
  ui.spinner.hidden = !['loading', 'waiting'].includes(kind);
  ui.icon.hidden = !ICONS[kind];
  ui.icon.replaceChildren(...(ICONS[kind] ? [icon(kind)] : []));
  ui.state.classList.toggle('over-video', Boolean(player));
  ui.stateTitle.textContent = title;
  ui.stateText.replaceChildren(text);
  if (extra) ui.stateText.append(' ', extra);
}

function renderInfo(s) {
  document.title = `${s.title} · Siaran`;
  ui.title.textContent = s.title;
  ui.status.replaceChildren(statusBadge(s.status));
  ui.owner.textContent = s.owner?.username ?? '';
  ui.ownerLine.hidden = !s.owner;
  const live = s.status === 'live';
  ui.viewers.hidden = !live;
  ui.viewers.textContent = live ? `${plural(s.viewers ?? 0, 'viewer')} watching` : '';
  if (live && s.started_at) ui.when.replaceChildren('started ', timeEl(s.started_at));
  else if (s.status === 'ended' && s.ended_at) ui.when.replaceChildren('ended ', timeEl(s.ended_at));
  else ui.when.replaceChildren();
  ui.desc.textContent = s.description ?? '';
  ui.desc.hidden = !s.description;
}

async function playlistReady(url) {
  try {
    const res = await fetch(url, { cache: 'no-store' });
    if (!res.ok) return false;
    const text = await res.text();
    return text.startsWith('#EXTM3U');
  } catch {
    return false;
  }
}

function startPlayer(s) {
  if (player || typeof window.videojs !== 'function') return;
  const video = el('video-js', {
    id: 'player', class: 'video-js vjs-big-play-centered', controls: true, playsinline: true, preload: 'auto',
    'aria-label': `Live video: ${s.title}`,
  });
  ui.slot.replaceChildren(video);
  player = window.videojs(video, {
    liveui: true,
    liveTracker: { trackingThreshold: 0 },
    autoplay: 'any',
    fill: true,
    responsive: true,
    html5: { vhs: { overrideNative: true } },
    sources: [{ src: s.hls_url, type: 'application/x-mpegURL' }],
  });
  player.on('playing', () => {
    if (stream?.status === 'live') setState('none');
  });
  player.on('error', () => {
    // A broken feed (publisher dropped, playlist gone): go back to waiting;
    // the next poll probes the playlist and starts a fresh player.
    if (stream?.status === 'live') {
      disposePlayer();
      setState('waiting', 'Reconnecting…', 'The stream was interrupted. It will resume here by itself.');
    }
  });
  setState('none');
}

function disposePlayer() {
  if (!player) return;
  try { player.dispose(); } catch { /* already gone */ }
  player = null;
  ui.slot.replaceChildren();
}

async function onStream(s) {
  const before = stream?.status;
  stream = s;
  renderInfo(s);
  if (s.status === 'created') {
    disposePlayer();
    setState('offline', 'This stream has not started yet', 'It will play here as soon as it goes live.');
  } else if (s.status === 'ended') {
    if (player) player.pause();
    setState('ended', 'Stream ended', 'Thanks for watching.', el('a', { href: '/' }, 'See who is live now'));
  } else if (s.status === 'live') {
    if (before === 'ended' && player) disposePlayer(); // live again: a new session
    if (!player) {
      if (ui.state.dataset.state !== 'waiting') {
        setState('waiting', 'Waiting for the stream…', 'The broadcaster is live but no video has arrived yet. This page starts playing by itself.');
      }
      const connected = Boolean(s.ingest?.connected);
      if (!probing && (connected || tick % IDLE_PROBE_EVERY === 0)) {
        probing = true;
        try {
          if (await playlistReady(s.hls_url) && stream.status === 'live') startPlayer(stream);
        } finally {
          probing = false;
        }
      }
    } else if (ui.state.dataset.state === 'ended') {
      setState('none');
    }
  }
}

async function poll() {
  try {
    const s = await api(`/api/streams/${id}/`, { auth: false });
    await onStream(s);
  } catch (err) {
    if (err.status === 404) {
      showNotFound();
      return; // nothing more to poll
    }
    if (!stream) setState('error', 'Could not load this stream', err.message);
  }
  tick += 1;
  setTimeout(poll, POLL_MS);
}

function showNotFound() {
  disposePlayer();
  $('watch').hidden = true;
  $('notfound').hidden = false;
  document.title = 'Stream not found · Siaran';
}

initHeader();
if (id === null) showNotFound();
else poll();
