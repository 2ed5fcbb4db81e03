/**
 * Serves the built dashboard (dist/apps/dashboard) for phones on slow links (docs/decisions.md,
 * "Dashboard delivery"):
 * - the build writes `.br` and `.gz` next to every text asset; the smallest one the browser accepts is
 *   sent with `Content-Encoding` and `Vary: Accept-Encoding` (no compression work per request);
 * - `assets/` holds content-hashed file names only, so they are `public, max-age=31536000, immutable`;
 *   `index.html` (and anything unhashed) is `no-cache`: revalidated (ETag) on every load, so a new
 *   release is picked up at once.
 * Anything that is not a file of the build falls through to the API routes.
 *
 * Middleware on node:http's request and response, so the same code serves on Express and on Fastify
 * (LEDGER_HTTP_ADAPTER): the file goes out through `send`, the module Express's sendFile is built on.
 */
import { existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import send from 'send';
import { pathnameOf } from '@hz/api';

type Next = (error?: unknown) => void;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Encodings in order of preference, with the file suffix the build writes for each. */
const ENCODINGS: ReadonlyArray<readonly [string, string]> = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The codings the request accepts (q=0 excluded), from Accept-Encoding. */
function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name);
  }
  return accepted;
}

export function dashboardAssets(
  root: string,
  options: { readonly apiPrefix: string },
): (request: IncomingMessage, response: ServerResponse, next: Next) => void {
  const base = normalize(root + sep);
  const apiPath = `/${options.apiPrefix.replace(/^\/+|\/+$/g, '')}/`;
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(pathnameOf(request.url ?? '/'));
    } catch {
      return next();
    }
    if (path.startsWith(apiPath) || path.includes('\0')) return next();
    const relative = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
    const file = normalize(join(base, relative));
    if (!file.startsWith(base) || !isFile(file)) return next();

    const hashed = relative.startsWith('assets/') && !relative.endsWith('.map');
    response.setHeader('Cache-Control', hashed ? IMMUTABLE : REVALIDATE);
    const type = TYPES[extname(file).toLowerCase()];
    if (type) response.setHeader('Content-Type', type);
    let served = file;
    if (type && !type.startsWith('image/png') && !type.startsWith('font/')) {
      response.setHeader('Vary', 'Accept-Encoding');
      const accepted = acceptedEncodings(request.headers['accept-encoding']);
      for (const [coding, suffix] of ENCODINGS) {
        if (accepted.has(coding) && existsSync(file + suffix)) {
          response.setHeader('Content-Encoding', coding);
          served = file + suffix;
          break;
        }
      }
    }
    // send adds ETag/Last-Modified and answers conditional requests with 304; it keeps our
    // Content-Type (it only sets one when none is there) and our Cache-Control (cacheControl: false).
    send(request, served, { cacheControl: false, lastModified: true, etag: true, dotfiles: 'deny' })
      .on('error', () => {
        if (response.headersSent) return;
        response.removeHeader('Content-Encoding');
        response.removeHeader('Cache-Control');
        next();
      })
      .pipe(response);
  };
}
