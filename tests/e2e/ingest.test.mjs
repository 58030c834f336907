// RTMP ingest and HLS playback end to end, with real peers: ffmpeg and both
// GStreamer RTMP sinks publish; ffprobe and an ffmpeg decode play the HLS our
// server makes. Covers the publishing rules of API.md (Media): key check,
// not-live refusal, takeover by a reconnecting publisher, stop → ENDLIST,
// drop + reconnect → DISCONTINUITY, and ten publishers at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, registerAndLogin } from './lib/server.mjs';
import {
  testMedia, ffmpegPublish, gstPublish, waitFor, segmentCount, ffprobe, decodeErrors, sleep,
} from './media.mjs';

let server;
let media;
let owner;

before(async () => {
  media = await testMedia();
  server = await startServer({ env: { SIARAN_HLS_SEGMENT_SECONDS: '1' } });
  owner = await registerAndLogin(server, 'pub');
});

after(async () => {
  const h = await api(server, 'GET', '/healthz');
  assert.equal(h.status, 200);
  const r = await server.stop();
  assert.equal(r.code, 0, `server exit: ${JSON.stringify(r)}\n${server.stderr().slice(-4000)}`);
});

/** Creates and starts a stream; returns {id, key, rtmp, hls}. */
async function liveStream(title = 'ingest test') {
  const c = await api(server, 'POST', '/api/streams/create/', { token: owner.token, body: { title } });
  assert.equal(c.status, 201, c.text);
  const s = await api(server, 'POST', `/api/streams/${c.json.id}/start/`, { token: owner.token });
  assert.equal(s.status, 200, s.text);
  return {
    id: c.json.id,
    key: c.json.stream_key,
    rtmp: `${c.json.rtmp_url}/${c.json.stream_key}`,
    hls: `${server.url}/hls/${c.json.id}/index.m3u8`,
  };
}

const stopStream = (id) => api(server, 'POST', `/api/streams/${id}/stop/`, { token: owner.token });

function streamsOf(probe) {
  const v = probe.streams.find((s) => s.codec_type === 'video');
  const a = probe.streams.find((s) => s.codec_type === 'audio');
  return { v, a };
}

test('ffmpeg publishes; the playlist is valid HLS with H.264 640x360 and AAC 44.1 kHz', async () => {
  const s = await liveStream('ffmpeg');
  const pub = ffmpegPublish(path.join(media, 'small.flv'), s.rtmp);
  try {
    const m3u8 = await waitFor(s.hls, (t) => segmentCount(t) >= 2, 20_000, 'two segments');
    assert.match(m3u8, /^#EXTM3U/);
    assert.match(m3u8, /#EXT-X-TARGETDURATION:\d+/);
    assert.match(m3u8, /#EXT-X-MEDIA-SEQUENCE:\d+/);
    assert.match(m3u8, /#EXT-X-PROGRAM-DATE-TIME:\d{4}-\d\d-\d\dT/);
    const res = await fetch(s.hls);
    assert.match(res.headers.get('content-type'), /mpegurl/i);
    assert.ok(res.headers.get('cache-control'), 'playlist has Cache-Control');

    const info = await api(server, 'GET', `/api/streams/${s.id}/`);
    assert.equal(info.json.ingest.connected, true, info.text);
    assert.equal(info.json.ingest.video.codec, 'h264');
    assert.equal(info.json.ingest.video.width, 640);
    assert.equal(info.json.ingest.video.height, 360);
    assert.equal(info.json.ingest.audio.codec, 'aac');
    assert.equal(info.json.ingest.audio.sample_rate, 44100);

    const probe = await ffprobe(s.hls);
    const { v, a } = streamsOf(probe);
    assert.equal(v.codec_name, 'h264');
    assert.equal(v.width, 640);
    assert.equal(v.height, 360);
    assert.equal(a.codec_name, 'aac');
    assert.equal(Number(a.sample_rate), 44100);
    const done = await pub.done;
    assert.equal(done.code, 0, `ffmpeg failed: ${done.stderr}`);
    // Once the stream is stopped the playlist is complete: every segment decodes cleanly.
    assert.equal((await stopStream(s.id)).status, 200);
    await waitFor(s.hls, (t) => t.includes('#EXT-X-ENDLIST'), 5_000, 'ENDLIST');
    assert.equal(await decodeErrors(s.hls), '');
    const seg = (await (await fetch(s.hls)).text()).split('\n').find((l) => l && !l.startsWith('#'));
    const segRes = await fetch(new URL(seg, s.hls));
    assert.equal(segRes.status, 200);
    assert.equal(segRes.headers.get('content-type'), 'video/mp2t');
    assert.match(segRes.headers.get('cache-control'), /immutable|max-age=\d{3,}/);
  } finally {
    pub.proc.kill('SIGKILL');
    await stopStream(s.id);
  }
});

for (const sink of ['rtmpsink', 'rtmp2sink']) {
  test(`GStreamer ${sink} publishes playable HLS`, async () => {
    const s = await liveStream(sink);
    const pub = gstPublish(path.join(media, 'small.flv'), s.rtmp, sink);
    try {
      await waitFor(s.hls, (t) => segmentCount(t) >= 2, 25_000, `${sink} segments`);
      const { v, a } = streamsOf(await ffprobe(s.hls));
      assert.equal(v.codec_name, 'h264');
      assert.equal(v.width, 640);
      assert.equal(a.codec_name, 'aac');
    } finally {
      pub.proc.kill('SIGKILL');
      await stopStream(s.id);
    }
  });
}

test('video-only and audio-only streams play', async () => {
  for (const [file, want] of [['video-only.flv', 'video'], ['audio-only.flv', 'audio']]) {
    const s = await liveStream(file);
    const pub = ffmpegPublish(path.join(media, file), s.rtmp);
    try {
      await waitFor(s.hls, (t) => segmentCount(t) >= 1, 20_000, `${file} segment`);
      const probe = await ffprobe(s.hls);
      const types = probe.streams.map((x) => x.codec_type);
      assert.deepEqual(types, [want], `${file}: ${JSON.stringify(types)}`);
    } finally {
      pub.proc.kill('SIGKILL');
      await stopStream(s.id);
    }
  }
});

test('a wrong key is refused and a stream that is not live is rejected', async () => {
  const s = await liveStream('keys');
  const bad = ffmpegPublish(path.join(media, 'small.flv'), `${s.rtmp}x`);
  const r1 = await bad.done;
  assert.notEqual(r1.code, 0, 'ffmpeg must fail with a wrong key');
  await stopStream(s.id);
  const notLive = ffmpegPublish(path.join(media, 'small.flv'), s.rtmp);
  const r2 = await notLive.done;
  assert.notEqual(r2.code, 0, 'ffmpeg must fail when the stream is not live');
  const res = await fetch(s.hls);
  assert.equal(res.status, 404, 'no playlist without a segment');
  const m = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(m, /siaran_rtmp_publish_refused_total\{reason="bad_name"\} [1-9]/);
  assert.match(m, /siaran_rtmp_publish_refused_total\{reason="not_live"\} [1-9]/);
});

test('a second publish with the same key takes over at once', async () => {
  const s = await liveStream('takeover');
  const first = ffmpegPublish(path.join(media, 'hd.flv'), s.rtmp);
  await waitFor(s.hls, (t) => segmentCount(t) >= 1, 20_000, 'first publisher');
  const second = ffmpegPublish(path.join(media, 'small.flv'), s.rtmp);
  try {
    const r1 = await Promise.race([first.done, sleep(10_000).then(() => null)]);
    assert.ok(r1, 'the stale publisher is disconnected');
    const m3u8 = await waitFor(s.hls, (t) => t.includes('#EXT-X-DISCONTINUITY'), 20_000, 'discontinuity');
    assert.ok(segmentCount(m3u8) >= 2);
    const r2 = await second.done;
    assert.equal(r2.code, 0, `the new publisher is accepted: ${r2.stderr}`);
  } finally {
    first.proc.kill('SIGKILL');
    second.proc.kill('SIGKILL');
    await stopStream(s.id);
  }
});

test('stop ends the playlist and disconnects the publisher', async () => {
  const s = await liveStream('stop');
  const pub = ffmpegPublish(path.join(media, 'hd.flv'), s.rtmp);
  try {
    await waitFor(s.hls, (t) => segmentCount(t) >= 1, 20_000, 'segment');
    const r = await stopStream(s.id);
    assert.equal(r.status, 200);
    const ended = await Promise.race([pub.done, sleep(10_000).then(() => null)]);
    assert.ok(ended, 'ffmpeg was disconnected');
    const m3u8 = await waitFor(s.hls, (t) => t.includes('#EXT-X-ENDLIST'), 5_000, 'ENDLIST');
    assert.ok(segmentCount(m3u8) >= 1);
    assert.equal(await decodeErrors(s.hls), '');
  } finally {
    pub.proc.kill('SIGKILL');
  }
});

test('a publisher that drops and comes back continues the playlist after a discontinuity', async () => {
  const s = await liveStream('reconnect');
  const a = ffmpegPublish(path.join(media, 'small.flv'), s.rtmp);
  assert.equal((await a.done).code, 0);
  const before1 = await waitFor(s.hls, (t) => segmentCount(t) >= 2, 5_000, 'segments');
  assert.ok(!before1.includes('#EXT-X-ENDLIST'), 'a dropped publisher does not end the stream');
  const b = ffmpegPublish(path.join(media, 'small.flv'), s.rtmp);
  try {
    assert.equal((await b.done).code, 0);
    const m3u8 = await waitFor(s.hls, (t) => t.includes('#EXT-X-DISCONTINUITY'), 5_000, 'discontinuity');
    assert.ok(!m3u8.includes('#EXT-X-ENDLIST'));
    await stopStream(s.id);
    await waitFor(s.hls, (t) => t.includes('#EXT-X-ENDLIST'), 5_000, 'ENDLIST');
    assert.equal(await decodeErrors(s.hls), '', 'both publish sessions decode across the discontinuity');
  } finally {
    b.proc.kill('SIGKILL');
    await stopStream(s.id);
  }
});

test('ten publishers on ten streams at once', async () => {
  const streams = [];
  for (let i = 0; i < 10; i++) streams.push(await liveStream(`many ${i}`));
  const pubs = streams.map((s) => ffmpegPublish(path.join(media, 'small.flv'), s.rtmp));
  try {
    await Promise.all(streams.map((s) => waitFor(s.hls, (t) => segmentCount(t) >= 2, 30_000, `stream ${s.id}`)));
    const results = await Promise.all(pubs.map((p) => p.done));
    results.forEach((r, i) => assert.equal(r.code, 0, `publisher ${i}: ${r.stderr}`));
    const m = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(m, /siaran_hls_segments_total \d+/);
  } finally {
    pubs.forEach((p) => p.proc.kill('SIGKILL'));
    await Promise.all(streams.map((s) => stopStream(s.id)));
  }
});
