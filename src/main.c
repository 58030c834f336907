/*
 * main — the command line (serve, migrate, version), wiring of the modules
 * on one libuv loop, and orderly shutdown.
 *
 * serve: configuration → data dir → store (migrated) → HTTP and RTMP
 * listeners → one machine-readable line on stdout with the real addresses:
 *   {"event":"listening","http":"127.0.0.1:8000","rtmp":"127.0.0.1:1935"}
 * SIGINT/SIGTERM: stop accepting, let in-flight requests finish (bounded by
 * SIARAN_SHUTDOWN_TIMEOUT_MS), close the database, exit 0.
 */
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "api/api.h"
#include "hls/http.h"
#include "hls/packager.h"
#include "hub/hub.h"
#include "core/config.h"
#include "core/log.h"
#include "http/server.h"
#include "net/conn.h"
#include "net/listen.h"
#include "rtmp/server.h"
#include "store/db.h"

static struct app {
    uv_loop_t *loop;
    config_t cfg;
    store_t *store;
    http_server_t http;
    net_listener_t rtmp;
    api_ctx_t api;
    uv_signal_t sigint, sigterm;
    uv_timer_t shutdown_timer;
    int stopping;
} app;

static void usage(FILE *out)
{
    fputs("usage: siaran <command> [options]\n"
          "\n"
          "commands:\n"
          "  serve     run the server (HTTP API, pages, HLS, WebSocket, RTMP ingest)\n"
          "  migrate   create or upgrade the database in the data directory, then exit\n"
          "  version   print the version\n"
          "\n"
          "`siaran <command> --help` lists the options of a command.\n",
          out);
}

static int mkdir_p(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int load_config(int argc, char **argv, const char *cmd)
{
    char err[512];
    int help = 0;
    if (config_load(&app.cfg, argc, argv, (config_getenv_fn)getenv, &help, err, sizeof err) != 0) {
        fprintf(stderr, "siaran %s: %s\n", cmd, err);
        return 2;
    }
    if (help) {
        printf("usage: siaran %s [options]\n\n", cmd);
        config_print_help(stdout);
        return 1;
    }
    log_set_level((enum log_level)log_level_parse(app.cfg.log_level));
    return 0;
}

static int open_store(void)
{
    if (mkdir_p(app.cfg.data_dir) != 0) {
        fprintf(stderr, "siaran: cannot create data directory %s: %s\n", app.cfg.data_dir,
                strerror(errno));
        return -1;
    }
    char path[1100], err[512];
    snprintf(path, sizeof path, "%s/siaran.db", app.cfg.data_dir);
    if (store_open(&app.store, path, err, sizeof err) != 0) {
        fprintf(stderr, "siaran: database: %s\n", err);
        return -1;
    }
    return 0;
}

static void close_walk(uv_handle_t *h, void *ud)
{
    (void)ud;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void finish_shutdown(void)
{
    /* Everything in flight is done: close what is left and let uv_run return. */
    uv_stop(app.loop);
}

static void on_drained(http_server_t *s)
{
    (void)s;
    log_info("shutdown_drained", "%s", "");
    finish_shutdown();
}

static void on_shutdown_timeout(uv_timer_t *t)
{
    (void)t;
    log_warn("shutdown_timeout", "active_requests=%zu", app.http.active_requests);
    http_server_close_all(&app.http);
    finish_shutdown();
}

static void on_signal(uv_signal_t *h, int signum)
{
    (void)h;
    if (app.stopping) {
        log_warn("shutdown_forced", "signal=%d", signum);
        finish_shutdown();
        return;
    }
    app.stopping = 1;
    log_info("shutdown", "signal=%s", signum == SIGINT ? "SIGINT" : "SIGTERM");
    net_listener_close(&app.rtmp);
    uv_timer_start(&app.shutdown_timer, on_shutdown_timeout, (uint64_t)app.cfg.shutdown_timeout_ms,
                   0);
    http_server_shutdown(&app.http, on_drained);
}

static void metrics_hook(buf_t *out)
{
    rtmp_server_metrics(out);
    hls_packager_metrics(out);
    hls_http_metrics(out);
}

static int cmd_serve(int argc, char **argv)
{
    int rc = load_config(argc, argv, "serve");
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if (sodium_init() < 0) {
        fprintf(stderr, "siaran: libsodium failed to initialise\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    if (open_store() != 0)
        return 1;
    app.loop = uv_default_loop();
    conn_module_init(app.loop);

    http_server_opts_t hopts = {
        .header_timeout_ms = (uint64_t)app.cfg.http_header_timeout_ms,
        .body_timeout_ms = (uint64_t)app.cfg.http_body_timeout_ms,
        .idle_timeout_ms = (uint64_t)app.cfg.http_idle_timeout_ms,
        .max_header_bytes = 16 * 1024,
        .max_headers = 100,
        .max_body = 64 * 1024,
        .dispatch = api_dispatch,
    };
    rc = http_server_start(&app.http, app.loop, app.cfg.http_addr, &hopts);
    if (rc != 0) {
        fprintf(stderr, "siaran: cannot listen for HTTP on %s: %s\n", app.cfg.http_addr,
                uv_strerror(rc));
        store_close(app.store);
        return 1;
    }
    hls_packager_opts_t popts = {
        .segment_seconds = (int)app.cfg.hls_segment_seconds,
        .window = (int)app.cfg.hls_window,
        .release_after_ms = (uint64_t)app.cfg.hls_release_ms,
    };
    hls_packager_module_init(app.loop, &popts);
    hls_http_set_lookup(hls_packager_store);
    rtmp_server_opts_t ropts = {.store = app.store};
    rc = rtmp_server_start(&app.rtmp, app.loop, app.cfg.rtmp_addr, &ropts);
    if (rc != 0) {
        fprintf(stderr, "siaran: cannot listen for RTMP on %s: %s\n", app.cfg.rtmp_addr,
                uv_strerror(rc));
        store_close(app.store);
        return 1;
    }
    char http_addr[80], rtmp_addr[80];
    net_listener_addr(&app.http.listener, http_addr, sizeof http_addr);
    net_listener_addr(&app.rtmp, rtmp_addr, sizeof rtmp_addr);

    app.api.cfg = &app.cfg;
    app.api.store = app.store;
    app.api.http = &app.http;
    app.api.loop = app.loop;
    app.api.started_ms = uv_now(app.loop);
    app.api.hooks.ingest_json = rtmp_server_ingest_json;
    app.api.hooks.stream_stopped = rtmp_server_stream_stopped;
    app.api.hooks.metrics = metrics_hook;
    api_init(&app.api, http_addr, rtmp_addr);

    uv_signal_init(app.loop, &app.sigint);
    uv_signal_init(app.loop, &app.sigterm);
    uv_signal_start(&app.sigint, on_signal, SIGINT);
    uv_signal_start(&app.sigterm, on_signal, SIGTERM);
    uv_timer_init(app.loop, &app.shutdown_timer);
    uv_unref((uv_handle_t *)&app.shutdown_timer);

    log_info("listening", "http=%s rtmp=%s data_dir=%s public_url=%s version=%s", http_addr,
             rtmp_addr, app.cfg.data_dir, app.api.public_url, SIARAN_VERSION);
    printf("{\"event\":\"listening\",\"http\":\"%s\",\"rtmp\":\"%s\"}\n", http_addr, rtmp_addr);
    fflush(stdout);

    uv_run(app.loop, UV_RUN_DEFAULT);

    /* Close every handle and let their callbacks (and frees) run. */
    http_server_close_all(&app.http);
    rtmp_server_close_all();
    uv_run(app.loop, UV_RUN_NOWAIT);
    hls_packager_module_close();
    hub_close_all();
    conn_module_close();
    uv_walk(app.loop, close_walk, NULL);
    uv_run(app.loop, UV_RUN_DEFAULT);
    api_shutdown();
    store_close(app.store);
    rc = uv_loop_close(app.loop);
    if (rc != 0)
        log_warn("loop_close", "err=%s", uv_err_name(rc));
    config_free(&app.cfg);
    log_info("stopped", "%s", "");
    return 0;
}

static int cmd_migrate(int argc, char **argv)
{
    int rc = load_config(argc, argv, "migrate");
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if (open_store() != 0)
        return 1;
    printf("database %s/siaran.db is at schema version %d\n", app.cfg.data_dir,
           store_schema_version(app.store));
    store_close(app.store);
    config_free(&app.cfg);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 2, argv + 2);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("siaran %s\n", SIARAN_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "siaran: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return 2;
}
