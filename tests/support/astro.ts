/**
 * Environment for running Astro from inside Vitest. Vitest fills process.env with Vite's own values
 * (BASE_URL, MODE, NODE_ENV=test, …); a child `astro build` would take them as its own and, for
 * example, ignore our BASE_PATH. Start from a clean copy.
 */
export function astroEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST', 'RESULTS_DIR'].includes(key) || key.startsWith('VITEST')) delete env[key];
  }
  return { ...env, ASTRO_TELEMETRY_DISABLED: '1', ...extra };
}
