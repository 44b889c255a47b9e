import { createRouter } from './app.ts';

export const healthRoutes = createRouter().get('/health', (c) => c.json({ status: 'ok' }));
