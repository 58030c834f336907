/*
 * net/listen — TCP listeners on "host:port" addresses.
 *
 * Owns the listening handle; each accepted connection is announced through
 * on_accept(listener), whose handler allocates its own connection struct and
 * calls conn_accept(&x->conn, (uv_stream_t *)&l->tcp, ops). Port 0 binds a
 * free port; net_listener_addr() tells the real one.
 */
#ifndef SIARAN_NET_LISTEN_H
#define SIARAN_NET_LISTEN_H

#include <uv.h>

typedef struct net_listener net_listener_t;
typedef void (*net_accept_fn)(net_listener_t *l);

struct net_listener {
    uv_tcp_t tcp;
    net_accept_fn on_accept;
    void *data;
    int open;
};

int net_listener_start(net_listener_t *l, uv_loop_t *loop, const char *addr, int backlog,
                       net_accept_fn on_accept) __attribute__((warn_unused_result));
/* Writes "ip:port" of the bound socket. */
void net_listener_addr(net_listener_t *l, char *out, size_t len);
void net_listener_close(net_listener_t *l);

#endif
