import type { NextConfig } from 'next';

const config: NextConfig = {
  // The whole project is type-checked by `npm run typecheck` (part of npm test); the UI build
  // need not repeat it, so a type error in a test can never stop `npm start`.
  typescript: { ignoreBuildErrors: true },
  // The daemon (protocol servers, native addons) runs beside Next, never inside its bundle.
  serverExternalPackages: ['better-sqlite3', 'ssh2', 'smtp-server', 'ftp-srv', 'soap', 'zeromq'],
  poweredByHeader: false,
};

export default config;
