// Swagger UI over the server's own OpenAPI document (no CDN: the assets come
// from npm's swagger-ui-dist, served by siaran under /docs/).
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
