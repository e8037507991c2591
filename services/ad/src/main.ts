import { closeFlags, startFlags } from '@astroshop/flags';
import { runService, startGrpcServer } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { CpuBurner } from './cpu-burner.ts';
import { GcStorm } from './gc-storm.ts';
import { adService } from './server.ts';

await runService('ad', async (logger) => {
  const config = loadConfig();
  startFlags();
  const cpuBurner = new CpuBurner(config.AD_HIGH_CPU_WORKERS);
  const server = await startGrpcServer({
    host: config.LISTEN_HOST,
    port: config.AD_PORT,
    services: [adService({ logger, cpuBurner, gcStorm: new GcStorm() })],
    logger,
  });
  logger.info(`Ad service started, listening on port ${server.port}`);
  return { resources: [server, cpuBurner, { close: closeFlags }] };
});
