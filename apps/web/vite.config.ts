import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from '../../scripts/vite-precompress.js';

// Served by the Touchpoint server at `/` (apps/web/dist, index.html fallback for client routes); the hashed files
// under assets/ get .br and .gz copies (precompress), which the server sends to clients that accept them.
export default defineConfig({
  base: '/',
  plugins: [react(), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    // `npm run dev -w @touchpoint/web` proxies the API (and its WebSocket) to a server on :3000.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
