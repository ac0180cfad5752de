/**
 * One Content-Security-Policy for both hosts: only our own scripts and styles, no remote
 * content, no eval. Fluent UI injects <style> at run time, hence 'unsafe-inline' for styles only.
 * connect-src allows the same origin (socket.io) and nothing else.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
