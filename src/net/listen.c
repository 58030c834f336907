/* net/listen — see listen.h. */
#include "net/listen.h"

#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"

static void on_connection(uv_stream_t *s, int status)
{
    net_listener_t *l = (net_listener_t *)s;
    if (status < 0) {
        log_warn("accept_failed", "err=%s", uv_err_name(status));
        return;
    }
    l->on_accept(l);
}

int net_listener_start(net_listener_t *l, uv_loop_t *loop, const char *addr, int backlog,
                       net_accept_fn on_accept)
{
    char host[256];
    int port;
    struct sockaddr_storage ss;
    memset(l, 0, sizeof *l);
    if (config_split_addr(addr, host, sizeof host, &port) != 0)
        return UV_EINVAL;
    int rc = uv_ip4_addr(host, port, (struct sockaddr_in *)&ss);
    if (rc != 0)
        rc = uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss);
    if (rc != 0)
        return rc;
    l->on_accept = on_accept;
    rc = uv_tcp_init(loop, &l->tcp);
    if (rc != 0)
        return rc;
    l->open = 1;
    rc = uv_tcp_bind(&l->tcp, (struct sockaddr *)&ss, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&l->tcp, backlog, on_connection);
    if (rc != 0) {
        net_listener_close(l);
        return rc;
    }
    return 0;
}

void net_listener_addr(net_listener_t *l, char *out, size_t len)
{
    struct sockaddr_storage ss;
    int n = sizeof ss;
    char ip[64] = "?";
    int port = 0;
    if (uv_tcp_getsockname(&l->tcp, (struct sockaddr *)&ss, &n) == 0) {
        if (ss.ss_family == AF_INET) {
            uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
            snprintf(out, len, "%s:%d", ip, port);
            return;
        }
        uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof ip);
        port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    snprintf(out, len, "[%s]:%d", ip, port);
}

void net_listener_close(net_listener_t *l)
{
    if (!l->open)
        return;
    l->open = 0;
    uv_close((uv_handle_t *)&l->tcp, NULL);
}
