import { createRouter } from '../http/app.ts';

export const openaiCompatRoutes = createRouter();
