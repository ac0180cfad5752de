import type http from 'node:http';
import type { SimMedia } from './types';

/**
 * Stands in for the CDN Twilio redirects media downloads to: another origin, no account credentials,
 * and like a pre-signed S3 URL it refuses a request that also carries an Authorization header.
 */
export function createMediaContentHandler(lookup: (token: string) => SimMedia | undefined) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const m = /^\/media-content\/([0-9a-f]{32})$/.exec(new URL(req.url ?? '/', 'http://cdn').pathname);
    const media = m ? lookup(m[1]!) : undefined;
    if (req.method !== 'GET' || !media) {
      res.writeHead(404, { 'Content-Type': 'application/xml' });
      return void res.end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
    }
    if (req.headers.authorization) {
      res.writeHead(400, { 'Content-Type': 'application/xml' });
      return void res.end('<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>');
    }
    res.writeHead(200, { 'Content-Type': media.contentType, 'Content-Length': media.bytes.length });
    res.end(media.bytes);
  };
}
