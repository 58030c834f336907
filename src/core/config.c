/* core/config — see config.h. */
#include "core/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

enum opt_type { OPT_STR, OPT_INT };

struct opt {
    const char *env;
    const char *flag;
    enum opt_type type;
    size_t offset;
    const char *def;
    int64_t min, max;
    const char *help;
};

#define STR(field) OPT_STR, offsetof(config_t, field)
#define INT(field) OPT_INT, offsetof(config_t, field)

static const struct opt opts[] = {
    {"SIARAN_HTTP_ADDR", "http-addr", STR(http_addr), "127.0.0.1:8000", 0, 0,
     "HTTP, WebSocket, HLS and pages (port 0 = any free port)"},
    {"SIARAN_RTMP_ADDR", "rtmp-addr", STR(rtmp_addr), "127.0.0.1:1935", 0, 0,
     "RTMP ingest (port 0 = any free port)"},
    {"SIARAN_DATA_DIR", "data-dir", STR(data_dir), "./data", 0, 0,
     "SQLite file, outbox, anything kept"},
    {"SIARAN_PUBLIC_URL", "public-url", STR(public_url), "", 0, 0,
     "base of hls_url and watch_url; its host goes into rtmp_url (default http://HTTP_ADDR)"},
    {"SIARAN_WEB_DIR", "web-dir", STR(web_dir), "", 0, 0,
     "front-end files (default: web/ of the source tree)"},
    {"SIARAN_LOG_LEVEL", "log-level", STR(log_level), "info", 0, 0, "debug, info, warn, error"},
    {"SIARAN_HLS_SEGMENT_SECONDS", "hls-segment-seconds", INT(hls_segment_seconds), "2", 1, 60,
     "target HLS segment length, cut at the first keyframe after it"},
    {"SIARAN_HLS_WINDOW", "hls-window", INT(hls_window), "6", 2, 100,
     "segments listed in a live playlist"},
    {"SIARAN_HLS_RELEASE_MS", "hls-release-ms", INT(hls_release_ms), "300000", 100, 86400000,
     "how long an ended stream's HLS stays in memory"},
    {"SIARAN_CHAT_RATE", "chat-rate", STR(chat_rate), "5/5", 0, 0,
     "comments per user per seconds (N/S); 0 turns the limit off"},
    {"SIARAN_CHAT_HISTORY", "chat-history", INT(chat_history), "50", 0, 1000,
     "comments sent on join"},
    {"SIARAN_WS_QUEUE_BYTES", "ws-queue-bytes", INT(ws_queue_bytes), "1048576", 4096, 1073741824,
     "a WebSocket client's outgoing queue before it is closed with 1008"},
    {"SIARAN_ORIGINS", "origins", STR(origins), "", 0, 0,
     "comma-separated Origin allow-list for WebSocket upgrades (empty = any)"},
    {"SIARAN_DONATION_MIN", "donation-min", INT(donation_min), "10000", 1, INT64_MAX,
     "smallest donation, rupiah"},
    {"SIARAN_DONATION_MAX", "donation-max", INT(donation_max), "10000000", 1, INT64_MAX,
     "largest donation, rupiah"},
    {"MIDTRANS_SERVER_KEY", "midtrans-server-key", STR(midtrans_server_key), "", 0, 0,
     "Midtrans server key (unset: gateway methods answer 503)"},
    {"MIDTRANS_CLIENT_KEY", "midtrans-client-key", STR(midtrans_client_key), "", 0, 0,
     "Midtrans client key for Snap.js"},
    {"MIDTRANS_PRODUCTION", "midtrans-production", INT(midtrans_production), "0", 0, 1,
     "1 = production hosts, 0 = sandbox"},
    {"MIDTRANS_SNAP_URL", "midtrans-snap-url", STR(midtrans_snap_url), "", 0, 0,
     "override of the Snap base URL (tests)"},
    {"MIDTRANS_API_URL", "midtrans-api-url", STR(midtrans_api_url), "", 0, 0,
     "override of the Core API base URL (tests)"},
    {"SIARAN_SMTP_URL", "smtp-url", STR(smtp_url), "", 0, 0,
     "smtp://host:587 or smtps://host:465 (unset: mail goes to DATA_DIR/outbox/)"},
    {"SIARAN_SMTP_USER", "smtp-user", STR(smtp_user), "", 0, 0, "SMTP user name"},
    {"SIARAN_SMTP_PASSWORD", "smtp-password", STR(smtp_password), "", 0, 0, "SMTP password"},
    {"SIARAN_MAIL_FROM", "mail-from", STR(mail_from), "Siaran <noreply@localhost>", 0, 0,
     "From: of outgoing mail"},
    {"SIARAN_REDIS_URL", "redis-url", STR(redis_url), "", 0, 0,
     "job queue in Redis instead of SQLite"},
    {"SIARAN_HTTP_HEADER_TIMEOUT_MS", "http-header-timeout-ms", INT(http_header_timeout_ms),
     "10000", 100, 3600000, "time a client has to send a whole request header block"},
    {"SIARAN_HTTP_BODY_TIMEOUT_MS", "http-body-timeout-ms", INT(http_body_timeout_ms), "30000", 100,
     3600000, "time a client has to send a request body"},
    {"SIARAN_HTTP_IDLE_TIMEOUT_MS", "http-idle-timeout-ms", INT(http_idle_timeout_ms), "60000", 100,
     3600000, "keep-alive connection idle time before it is closed"},
    {"SIARAN_SHUTDOWN_TIMEOUT_MS", "shutdown-timeout-ms", INT(shutdown_timeout_ms), "10000", 0,
     600000, "on SIGTERM, time given to in-flight requests"},
};

static int set_opt(config_t *cfg, const struct opt *o, const char *val, const char *src, char *err,
                   size_t errlen)
{
    char *field = (char *)cfg + o->offset;
    if (o->type == OPT_STR) {
        char **s = (char **)(void *)field;
        free(*s);
        *s = xstrdup(val);
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(val, &end, 10);
    if (errno || end == val || *end != '\0' || v < o->min || v > o->max) {
        snprintf(err, errlen, "%s: %s must be an integer from %lld to %lld, got \"%s\"", src,
                 o->env, (long long)o->min, (long long)o->max, val);
        return -1;
    }
    *(int64_t *)(void *)field = v;
    return 0;
}

int config_load(config_t *cfg, int argc, char **argv, config_getenv_fn getenv_fn, int *help,
                char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    *help = 0;
    const size_t n = sizeof opts / sizeof opts[0];
    for (size_t i = 0; i < n; i++)
        if (set_opt(cfg, &opts[i], opts[i].def, "default", err, errlen) != 0)
            return -1;
    for (size_t i = 0; i < n; i++) {
        const char *v = getenv_fn ? getenv_fn(opts[i].env) : NULL;
        if (v != NULL && set_opt(cfg, &opts[i], v, "environment", err, errlen) != 0)
            return -1;
    }
    for (int a = 0; a < argc; a++) {
        const char *arg = argv[a];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            *help = 1;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0) {
            snprintf(err, errlen, "unexpected argument \"%s\" (see --help)", arg);
            return -1;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct opt *o = NULL;
        for (size_t i = 0; i < n; i++)
            if (strlen(opts[i].flag) == nlen && strncmp(opts[i].flag, name, nlen) == 0)
                o = &opts[i];
        if (o == NULL) {
            snprintf(err, errlen, "unknown option \"--%.*s\" (see --help)", (int)nlen, name);
            return -1;
        }
        const char *val = eq ? eq + 1 : (a + 1 < argc ? argv[++a] : NULL);
        if (val == NULL) {
            snprintf(err, errlen, "option --%s needs a value", o->flag);
            return -1;
        }
        if (set_opt(cfg, o, val, "flag", err, errlen) != 0)
            return -1;
    }
    if (log_level_parse(cfg->log_level) < 0) {
        snprintf(err, errlen, "SIARAN_LOG_LEVEL must be debug, info, warn or error, got \"%s\"",
                 cfg->log_level);
        return -1;
    }
    char host[256];
    int port;
    if (config_split_addr(cfg->http_addr, host, sizeof host, &port) != 0) {
        snprintf(err, errlen, "SIARAN_HTTP_ADDR must be HOST:PORT, got \"%s\"", cfg->http_addr);
        return -1;
    }
    if (config_split_addr(cfg->rtmp_addr, host, sizeof host, &port) != 0) {
        snprintf(err, errlen, "SIARAN_RTMP_ADDR must be HOST:PORT, got \"%s\"", cfg->rtmp_addr);
        return -1;
    }
    if (cfg->donation_min > cfg->donation_max) {
        snprintf(err, errlen, "SIARAN_DONATION_MIN is above SIARAN_DONATION_MAX");
        return -1;
    }
    size_t pl = strlen(cfg->public_url);
    if (pl > 0 && strncmp(cfg->public_url, "http://", 7) != 0 &&
        strncmp(cfg->public_url, "https://", 8) != 0) {
        snprintf(err, errlen, "SIARAN_PUBLIC_URL must start with http:// or https://");
        return -1;
    }
    while (pl > 0 && cfg->public_url[pl - 1] == '/')
        cfg->public_url[--pl] = '\0';
    return 0;
}

void config_free(config_t *cfg)
{
    const size_t n = sizeof opts / sizeof opts[0];
    for (size_t i = 0; i < n; i++) {
        if (opts[i].type != OPT_STR)
            continue;
        char **s = (char **)(void *)((char *)cfg + opts[i].offset);
        free(*s);
        *s = NULL;
    }
}

void config_print_help(FILE *out)
{
    fputs("Options (each also read from its environment variable; flags win):\n", out);
    const size_t n = sizeof opts / sizeof opts[0];
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  --%-24s %-30s %s", opts[i].flag, opts[i].env, opts[i].help);
        if (opts[i].def[0] != '\0' && strcmp(opts[i].env, "SIARAN_SMTP_PASSWORD") != 0)
            fprintf(out, " [default: %s]", opts[i].def);
        fputc('\n', out);
    }
}

int config_split_addr(const char *addr, char *host, size_t hostlen, int *port)
{
    const char *colon;
    const char *h = addr;
    size_t hl;
    if (addr[0] == '[') {
        const char *close = strchr(addr, ']');
        if (close == NULL || close[1] != ':')
            return -1;
        h = addr + 1;
        hl = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(addr, ':');
        if (colon == NULL)
            return -1;
        hl = (size_t)(colon - addr);
    }
    if (hl == 0 || hl >= hostlen)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end != '\0' || p < 0 || p > 65535)
        return -1;
    *port = (int)p;
    return 0;
}
