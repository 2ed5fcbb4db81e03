/// <reference types="node" />
// The dashboard is a static single-page app: `vite build` writes it to dist/apps/dashboard, which
// ledger-api serves at / (apps/ledger-api/src/dashboard-assets.ts). In development `vite` proxies /api
// to a local ledger-api (PORT 3000).
//
// Built for phones on slow links (apps/dashboard/README.md): every view is its own chunk (React.lazy),
// React and ECharts are separate vendor chunks that stay cached across releases of the app code, and
// every text asset is also written as .br and .gz so that the server sends compressed bytes without
// compressing per request.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = import.meta.dirname;
const outDir = resolve(here, '../../dist/apps/dashboard');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) next to each JS, CSS, HTML and SVG file. */
function precompress(): Plugin {
  return {
    name: 'hz-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of filesUnder(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const content = readFileSync(file);
        if (content.length < 512) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
            },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    // No source maps in the production build: the served bundle stays the only copy of the code (docs/decisions.md, "HTTP edge").
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (/node_modules[\\/](echarts|zrender|tslib)[\\/]/.test(id)) return 'echarts';
          if (/node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 4200,
    proxy: {
      '/api': {
        target: process.env['LEDGER_API_URL'] ?? 'http://localhost:3000',
        changeOrigin: true,
      },
    },
  },
});
