import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { API_KEY } from './fake/server.ts';
import { runHealthChecks } from './health.ts';
import { getAction } from './store.ts';
import { fakeActionsUrl } from './testing.ts';

interface View {
  id: string;
  title: string;
  baseUrl: string;
  auth: Record<string, unknown>;
  operations: { operationId: string; selected: boolean }[];
  health: { url: string; status: string; checkedAt: string | null; message: string | null } | null;
}

const specUrl = () => fakeActionsUrl('/openapi.yaml');
const selected = (view: View) => view.operations.filter((op) => op.selected).map((op) => op.operationId);

describe('/api/v1/custom-actions', () => {
  it('adds an action from a YAML spec URL, edits and deletes it; secrets never come back', async () => {
    const { apiKey, teamId } = await seedDemo();
    const created = await api.send(apiKey, 'POST', '/api/v1/custom-actions', {
      name: 'Pets',
      spec: { source: 'url', url: specUrl() },
      selectedOperations: ['getPet', 'withKey'],
      auth: { kind: 'api_key', in: 'header', name: 'X-Api-Key', value: API_KEY },
    });
    expect(created.status).toBe(201);
    const action = (await created.json()) as View;
    expect(action).toMatchObject({ title: 'Fake pet store', baseUrl: fakeActionsUrl(), health: null });
    expect(action.auth).toEqual({ kind: 'api_key', in: 'header', name: 'X-Api-Key', configured: true });
    expect(selected(action)).toEqual(['getPet', 'withKey']);
    expect(action.operations.length).toBeGreaterThan(10);

    const patched = await api.send(apiKey, 'PATCH', `/api/v1/custom-actions/${action.id}`, {
      selectedOperations: ['createPet'],
      name: 'Pets 2',
    });
    expect(patched.status).toBe(200);
    expect(selected((await patched.json()) as View)).toEqual(['createPet']);
    const listed = await (await api.get(apiKey, '/api/v1/custom-actions')).text();
    expect(listed).toContain(action.id);
    expect(listed).not.toContain(API_KEY);
    const row = await getAction(database(env.DB), teamId, action.id);
    expect(row?.sealedAuth).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(API_KEY);

    expect((await api.send(apiKey, 'DELETE', `/api/v1/custom-actions/${action.id}`)).status).toBe(204);
    expect((await api.get(apiKey, `/api/v1/custom-actions/${action.id}`)).status).toBe(404);
  });

  it('parses a pasted spec without saving it', async () => {
    const { apiKey } = await seedDemo();
    const yaml = await (await fetch(specUrl())).text();
    const res = await api.send(apiKey, 'POST', '/api/v1/custom-actions/parse', {
      spec: { source: 'text', text: yaml },
    });
    expect(res.status).toBe(200);
    const parsed = (await res.json()) as {
      title: string;
      operations: { operationId: string }[];
      securitySchemes: object;
    };
    expect(parsed.title).toBe('Fake pet store');
    expect(parsed.operations.map((op) => op.operationId)).toContain('createPet');
    expect(Object.keys(parsed.securitySchemes).sort()).toEqual(['basic', 'bearer', 'key', 'oauth']);
  });

  it('refuses bad specs and bad input with a 400 naming the problem', async () => {
    const { apiKey } = await seedDemo();
    const post = (body: unknown) => api.send(apiKey, 'POST', '/api/v1/custom-actions', body);
    const base = { name: 'Bad', selectedOperations: [] };
    const swagger = await post({
      ...base,
      spec: { source: 'text', text: 'swagger: "2.0"\ninfo: {title: x, version: "1"}' },
    });
    expect(swagger.status).toBe(400);
    expect(((await swagger.json()) as { error: { message: string } }).error.message).toMatch(/body\.spec\.text.*2/i);
    const notYaml = await post({ ...base, spec: { source: 'text', text: 'openapi: [unclosed' } });
    expect(notYaml.status).toBe(400);
    expect(((await notYaml.json()) as { error: { message: string } }).error.message).toContain('body.spec.text');
    const html = await post({ ...base, spec: { source: 'url', url: fakeActionsUrl('/page.html') } });
    expect(html.status).toBe(400);
    expect(((await html.json()) as { error: { message: string } }).error.message).toContain('text/html');
    const unknownOp = await post({ ...base, spec: { source: 'url', url: specUrl() }, selectedOperations: ['nope'] });
    expect(unknownOp.status).toBe(400);
    expect(await errorFields(unknownOp)).toEqual(['body.selectedOperations.0']);
    const badAuth = await post({ ...base, spec: { source: 'url', url: specUrl() }, auth: { kind: 'bearer' } });
    expect(badAuth.status).toBe(400);
    expect(await errorFields(badAuth)).toContain('body.auth.token');
    const noServer = await post({
      ...base,
      spec: {
        source: 'text',
        text: 'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths: {/a: {get: {responses: {"200": {description: ok}}}}}',
      },
    });
    expect(noServer.status).toBe(400);
    expect(await errorFields(noServer)).toEqual(['body.baseUrl']);
  });

  it('checks health on demand and from the periodic job', async () => {
    const { apiKey, teamId } = await seedDemo();
    const created = await api.send(apiKey, 'POST', '/api/v1/custom-actions', {
      name: 'Pets',
      spec: { source: 'url', url: specUrl() },
      selectedOperations: [],
      healthCheckUrl: fakeActionsUrl('/health'),
    });
    const action = (await created.json()) as View;
    expect(action.health).toMatchObject({ status: 'unknown', checkedAt: null });
    const checked = await api.send(apiKey, 'POST', `/api/v1/custom-actions/${action.id}/health/check`);
    expect(((await checked.json()) as View).health).toMatchObject({ status: 'ok', message: 'HTTP 200' });

    await api.send(apiKey, 'PATCH', `/api/v1/custom-actions/${action.id}`, {
      healthCheckUrl: fakeActionsUrl('/health/down'),
    });
    expect(await runHealthChecks(env, Date.now())).toBeGreaterThanOrEqual(1);
    const row = await getAction(database(env.DB), teamId, action.id);
    expect(row).toMatchObject({ healthStatus: 'failing', healthMessage: 'HTTP 503' });
    // Checked a moment ago: the next run leaves it until the hour is up.
    await runHealthChecks(env, Date.now());
    expect((await getAction(database(env.DB), teamId, action.id))?.healthCheckedAt).toBe(row?.healthCheckedAt);

    const other = await seedDemo();
    expect((await api.send(other.apiKey, 'POST', `/api/v1/custom-actions/${action.id}/health/check`)).status).toBe(404);
    expect((await api.get(other.apiKey, `/api/v1/custom-actions/${action.id}`)).status).toBe(404);
  });
});
