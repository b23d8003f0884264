/**
 * `npm start`: reads the configuration from the environment, starts the suite, and on SIGTERM or
 * SIGINT closes it in order (HTTP and sockets, then media workers, then the database).
 */
import module from 'node:module';

// V8 keeps the compiled code of every module between starts (in the OS temp folder), which cuts
// about a third off start-up; it must be on before the modules load, hence the dynamic imports.
module.enableCompileCache();
const { pino } = await import('pino');
const { ConfigError, loadConfig, loadDotEnv } = await import('./config.ts');
const { startServer } = await import('./server.ts');

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const startedAt = performance.now();
  loadDotEnv();
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const server = await startServer(config, log);
  log.info({ url: server.url, startupMs: Math.round(performance.now() - startedAt), dataDir: config.dataDir, demo: config.demo, mediaWorkers: server.media?.size ?? 0 }, 'e-Zal is ready');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      await server.close();
      log.info('shut down cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
