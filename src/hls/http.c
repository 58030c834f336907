/* hls/http — see http.h. */
#include "hls/http.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hls_lookup_fn g_lookup;
static uint64_t g_requests_playlist, g_requests_segment, g_bytes, g_misses;

void hls_http_set_lookup(hls_lookup_fn fn)
{
    g_lookup = fn;
}

static int64_t parse_id(const char *s)
{
    if (s == NULL || *s < '1' || *s > '9')
        return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    return *end == '\0' && v > 0 ? v : 0;
}

static hls_store_t *find(http_req_t *r)
{
    int64_t id = parse_id(router_param(&r->match, "id"));
    return id && g_lookup ? g_lookup(id) : NULL;
}

static void not_found(http_req_t *r, const char *what)
{
    g_misses++;
    http_req_add_header(r, "Cache-Control", "no-cache");
    http_respond_error(r, 404, "not_found", what);
}

void hls_http_playlist(http_req_t *r)
{
    hls_store_t *s = find(r);
    if (s == NULL || s->playlist == NULL) {
        not_found(r, "no playlist yet: the stream has no segment");
        return;
    }
    g_requests_playlist++;
    g_bytes += s->playlist->len;
    http_req_add_header(r, "Cache-Control", s->ended ? "public, max-age=60" : "max-age=1");
    http_req_add_header(r, "Access-Control-Allow-Origin", "*");
    http_respond_rc(r, 200, "application/vnd.apple.mpegurl", s->playlist, 0, s->playlist->len);
}

void hls_http_segment(http_req_t *r)
{
    hls_store_t *s = find(r);
    const char *file = router_param(&r->match, "file");
    unsigned epoch;
    unsigned long long seq;
    int used = 0;
    if (s == NULL || file == NULL || sscanf(file, "%u-%llu.ts%n", &epoch, &seq, &used) != 2 ||
        file[used] != '\0' || epoch != s->epoch) {
        not_found(r, "no such segment");
        return;
    }
    const hls_segment_t *g = hls_store_segment(s, seq);
    if (g == NULL) {
        not_found(r, "the segment has left the window");
        return;
    }
    g_requests_segment++;
    g_bytes += g->data->len;
    http_req_add_header(r, "Cache-Control", "public, max-age=86400, immutable");
    http_req_add_header(r, "Access-Control-Allow-Origin", "*");
    http_respond_rc(r, 200, "video/mp2t", g->data, 0, g->data->len);
}

void hls_http_metrics(buf_t *out)
{
    buf_printf(out,
               "# HELP siaran_hls_requests_total HLS requests answered from memory.\n"
               "# TYPE siaran_hls_requests_total counter\n"
               "siaran_hls_requests_total{kind=\"playlist\"} %" PRIu64 "\n"
               "siaran_hls_requests_total{kind=\"segment\"} %" PRIu64 "\n"
               "siaran_hls_requests_total{kind=\"miss\"} %" PRIu64 "\n"
               "# HELP siaran_hls_bytes_served_total HLS bytes served (bodies).\n"
               "# TYPE siaran_hls_bytes_served_total counter\n"
               "siaran_hls_bytes_served_total %" PRIu64 "\n",
               g_requests_playlist, g_requests_segment, g_misses, g_bytes);
}
