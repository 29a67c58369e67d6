import { startServer } from './server.js';

// `npm start`: the production entry (the Dockerfile runs it too).
await startServer();
