/*
 * core/config — the server's configuration: defaults, environment, flags.
 *
 * Owns one table of options (environment name, flag, type, default, help);
 * every option can come from its SIARAN_* / MIDTRANS_* environment variable
 * and from a `--flag value` / `--flag=value` argument, flags winning.
 * `siaran serve --help` prints the table. Strings in config_t are owned by
 * the config and freed by config_free().
 */
#ifndef SIARAN_CORE_CONFIG_H
#define SIARAN_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct config {
    char *http_addr;
    char *rtmp_addr;
    char *data_dir;
    char *public_url; /* "" means derive from the HTTP address */
    char *web_dir;    /* "" means the source tree's web/ */
    char *log_level;
    int64_t hls_segment_seconds;
    int64_t hls_window;
    char *chat_rate; /* "N/S" or "0" */
    int64_t chat_history;
    int64_t ws_queue_bytes;
    char *origins;
    int64_t donation_min;
    int64_t donation_max;
    char *midtrans_server_key;
    char *midtrans_client_key;
    int64_t midtrans_production;
    char *midtrans_snap_url;
    char *midtrans_api_url;
    char *smtp_url;
    char *smtp_user;
    char *smtp_password;
    char *mail_from;
    char *redis_url;
    int64_t http_header_timeout_ms;
    int64_t http_idle_timeout_ms;
    int64_t http_body_timeout_ms;
    int64_t shutdown_timeout_ms;
    int64_t hls_release_ms;
} config_t;

/* Looks up an environment variable; tests pass their own. */
typedef const char *(*config_getenv_fn)(const char *name);

/*
 * Fills cfg from defaults, then getenv, then argv[0..argc). On error returns
 * -1 and writes a one-line reason to err; cfg must still be config_free()d.
 * Sets *help when --help/-h was given.
 */
int config_load(config_t *cfg, int argc, char **argv, config_getenv_fn getenv_fn, int *help,
                char *err, size_t errlen) __attribute__((warn_unused_result));
void config_free(config_t *cfg);
void config_print_help(FILE *out);

/* Splits "host:port" or "[v6]:port"; host buffer gets the bare host. */
int config_split_addr(const char *addr, char *host, size_t hostlen, int *port)
    __attribute__((warn_unused_result));

#endif
