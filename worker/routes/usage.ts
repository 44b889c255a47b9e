import { createRouter } from '../http/app.ts';

export const usageRoutes = createRouter();
