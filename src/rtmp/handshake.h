/*
 * rtmp/handshake — the server side of the RTMP handshake, as an incremental
 * state machine: bytes in (split anywhere), S0+S1+S2 out, then "done" with
 * the offset where the chunk stream begins.
 *
 * Data path: first stage of an RTMP connection. rtmp/session feeds every
 * received byte here until DONE, then hands the rest to rtmp/chunk.
 *
 *   client                                server
 *   C0 | version u8 (3) |          ->
 *   C1 | time u32 | zero/version u32 | random 1528 |   ->
 *                                   <-  S0 | 3 |  S1 (1536)  S2 (1536)
 *   C2 | 1536 bytes, should echo S1 | ->  (consumed, not checked)
 *
 * Two answers:
 *  - plain (C1 bytes 4..7 are zero, or no valid digest found): S1 is
 *    time 0, zero, random; S2 echoes C1.
 *  - digest (Flash Player 9+, ffmpeg, librtmp): C1 carries a 32-byte
 *    HMAC-SHA256 digest, keyed with "Genuine Adobe Flash Player 001", over
 *    the other 1504 bytes, at one of two places:
 *      scheme A: offset = (c1[8] + c1[9] + c1[10] + c1[11]) % 728 + 12
 *      scheme B: offset = (c1[772] + ... + c1[775]) % 728 + 776
 *    S1 then carries our digest (same scheme, keyed with the first 36 bytes
 *    of the Flash Media Server key) and S2 is random except its last 32
 *    bytes: HMAC(key = HMAC(FMS key, all 68 bytes; client digest),
 *    S2[0..1504)).
 *
 * C0 versions 3..31 are answered with version 3, as the specification asks
 * (a client asking for RTMPE, 6 or 8, may then fall back or give up); 0..2
 * and 32..255 (not RTMP at all) are errors.
 *
 * Ownership: the state is a plain struct the caller embeds; it holds no heap
 * memory. Output is appended to the caller's buf_t.
 */
#ifndef SIARAN_RTMP_HANDSHAKE_H
#define SIARAN_RTMP_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define RTMP_HANDSHAKE_SIZE 1536

enum rtmp_hs_result {
    RTMP_HS_ERROR = -1,
    RTMP_HS_NEED_MORE = 0,
    RTMP_HS_DONE = 1,
};

enum rtmp_hs_state {
    RTMP_HS_C0,
    RTMP_HS_C1,
    RTMP_HS_C2,
    RTMP_HS_FINISHED,
    RTMP_HS_FAILED,
};

typedef struct rtmp_handshake {
    enum rtmp_hs_state state;
    size_t got;        /* bytes of C1 or C2 received so far */
    int digest;        /* the client used the digest scheme */
    const char *error; /* static reason once FAILED */
    uint8_t c1[RTMP_HANDSHAKE_SIZE];
} rtmp_handshake_t;

void rtmp_handshake_init(rtmp_handshake_t *hs);

/*
 * Consumes bytes from data[0..len) and sets *used to how many. Appends S0,
 * S1 and S2 to out as soon as C1 is complete. Returns RTMP_HS_NEED_MORE
 * (everything was consumed), RTMP_HS_DONE (C2 complete; data + *used is the
 * start of the chunk stream) or RTMP_HS_ERROR (hs->error says why). Once
 * DONE or ERROR, further calls consume nothing and return the same.
 */
int rtmp_handshake_feed(rtmp_handshake_t *hs, const uint8_t *data, size_t len, size_t *used,
                        buf_t *out) __attribute__((warn_unused_result));

#endif
