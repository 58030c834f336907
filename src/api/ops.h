/*
 * api/ops — operations and pages: health, metrics, the OpenAPI document,
 * Swagger UI, the web front end's pages and vendor assets, the 404 page.
 */
#ifndef SIARAN_API_OPS_H
#define SIARAN_API_OPS_H

#include "http/server.h"

void api_ops_init(void);
void api_ops_shutdown(void);

void api_healthz(http_req_t *r);
void api_metrics(http_req_t *r);
void api_openapi(http_req_t *r);
void api_docs_index(http_req_t *r);
void api_docs_file(http_req_t *r);
void api_page(http_req_t *r);
void api_assets(http_req_t *r);
void api_vendor(http_req_t *r);
/* 404: JSON under /api/, the friendly HTML page elsewhere. */
void api_not_found(http_req_t *r);

#endif
