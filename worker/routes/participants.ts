import { createRouter } from '../http/app.ts';

export const participantsRoutes = createRouter();
