// Swagger UI over the server's own OpenAPI document. No CDN and no inline
// script: the assets are npm's swagger-ui-dist, served by siaran under
// /docs/, and this file is loaded with a <script src>, so a strict CSP fits.
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  plugins: [SwaggerUIBundle.plugins.DownloadUrl],
  layout: 'StandaloneLayout',
  // No badge fetched from validator.swagger.io: the page talks only to this server.
  validatorUrl: null,
});
