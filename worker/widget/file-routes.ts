import { Hono } from 'hono';
import { FILE_ID_PATTERN } from '../conversation/message-extras.ts';
import { ApiError } from '../http/errors.ts';
import { requireWidgetToken, type WidgetEnv } from './auth.ts';
import { readUpload, storeUpload } from './uploads.ts';

/** Attachments: upload into the token's conversation, and download from it only (docs/widget-api.md). */
export const widgetFileRoutes = new Hono<WidgetEnv>()
  .post('/api/widget/v1/conversations/:id/uploads', requireWidgetToken(), async (c) => {
    return c.json(await storeUpload(c.env, c.var.widget, c.req.raw, c.req.query('name')), 201);
  })
  .get('/api/widget/v1/files/:fileId', requireWidgetToken({ originOptional: true }), async (c) => {
    const fileId = c.req.param('fileId');
    if (!FILE_ID_PATTERN.test(fileId)) throw new ApiError(404, 'not_found', 'File not found');
    return readUpload(c.env, c.var.widget, fileId);
  });
