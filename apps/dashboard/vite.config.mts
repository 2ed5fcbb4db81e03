/// <reference types="node" />
// The dashboard is a static single-page app: `vite build` writes it to dist/apps/dashboard, which
// ledger-api serves at /. In development `vite` proxies /api to a local ledger-api (PORT 3000).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../../dist/apps/dashboard'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 4200,
    proxy: { '/api': { target: process.env['LEDGER_API_URL'] ?? 'http://localhost:3000', changeOrigin: true } },
  },
});
