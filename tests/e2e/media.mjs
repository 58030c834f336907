// Shared helpers for the media end-to-end suites: test media, real publishers
// (ffmpeg, GStreamer) and real players (ffprobe, ffmpeg decode), HLS polling.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const execFileP = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

let mediaDir;
/** Makes the shared test media once and returns its folder. */
export async function testMedia() {
  if (!mediaDir) {
    const script = path.resolve(repo, '../shared/media/make-test-media.sh');
    const { stdout } = await execFileP('bash', [script], { timeout: 300_000 });
    mediaDir = stdout.trim().split('\n').pop();
  }
  return mediaDir;
}

/** Starts a long-running child; returns {proc, done: Promise<{code, signal, stderr}>, stderr()}. */
export function run(cmd, args, opts = {}) {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; if (err.length > 200_000) err = err.slice(-100_000); });
  const done = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr: err }));
  });
  return { proc, done, stderr: () => err };
}

/** ffmpeg publishing an FLV file in real time (-re), copying codecs, as OBS would send them. */
export function ffmpegPublish(file, rtmpUrl, extra = []) {
  return run('ffmpeg', ['-hide_banner', '-loglevel', 'warning', '-re', '-i', file,
    ...extra, '-c', 'copy', '-f', 'flv', rtmpUrl]);
}

/** GStreamer re-muxing an FLV file to RTMP with the given sink (rtmpsink = librtmp, or rtmp2sink). */
export function gstPublish(file, rtmpUrl, sink = 'rtmpsink') {
  const loc = sink === 'rtmpsink' ? `${rtmpUrl} live=1` : rtmpUrl;
  return run('gst-launch-1.0', ['-q',
    'filesrc', `location=${file}`, '!', 'flvdemux', 'name=d',
    'flvmux', 'name=m', 'streamable=true', '!', 'queue', '!', sink, `location=${loc}`, 'sync=true',
    'd.video', '!', 'queue', '!', 'h264parse', '!', 'm.',
    'd.audio', '!', 'queue', '!', 'aacparse', '!', 'm.']);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls url until fn(text) is truthy or timeout; returns the last text. */
export async function waitFor(url, fn, timeoutMs = 20_000, what = 'condition') {
  const end = Date.now() + timeoutMs;
  let last = '';
  let status = 0;
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      status = res.status;
      last = await res.text();
      if (res.ok && fn(last)) return last;
    } catch { /* server may not be ready */ }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what} at ${url} (last status ${status}):\n${last.slice(0, 2000)}`);
}

export const segmentCount = (m3u8) => m3u8.split('\n').filter((l) => l && !l.startsWith('#')).length;

/** ffprobe's view of a playlist or file: {streams:[…], format:{…}}. */
export async function ffprobe(url) {
  const { stdout } = await execFileP('ffprobe', ['-v', 'error', '-show_streams', '-show_format',
    '-of', 'json', url], { timeout: 60_000 });
  return JSON.parse(stdout);
}

/** Decodes everything (ffmpeg -f null); returns ffmpeg's error output ('' when clean). */
export async function decodeErrors(url) {
  const { stderr } = await execFileP('ffmpeg', ['-hide_banner', '-v', 'error', '-i', url,
    '-f', 'null', '-'], { timeout: 120_000 });
  return stderr.trim();
}
