import { Probot } from 'probot';
import { startServer } from './intake/server.js';
import { createService } from './service.js';
import { readSettings } from './settings.js';
import { closeAnalysisThreads } from './worker/analysis-thread.js';

// `npm start`: the production entry (the Dockerfile runs it too). The environment is read here, once.
const settings = readSettings(process.env);
const probot = new Probot(settings.probot);
const service = createService(settings);
await probot.load(service.app);
await startServer(probot, settings);

// SIGTERM (every rollout, a node drain) drains: no new jobs, running ones finished or handed back, then exit.
process.once('SIGTERM', () => {
  probot.log.info('SIGTERM: no new jobs; finishing or handing back those running');
  void service
    .close(settings.drainMs)
    .then(closeAnalysisThreads)
    .finally(() => process.exit(0));
});
