/// <reference types="node" />
/**
 * The pipeline pieces of the dashboard (issue 14): "Why this reply" under a bot message of the transcript, and the
 * participant page's data per chatbot (read, edit as validated JSON, reset). Runs after the main story's test chat,
 * whose participant (`dashboard-test`, platform `api`) talked to the chatbot.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Step } from './steps.ts';

interface Context {
  page: Page;
  dashboard: string;
  api: string;
  apiKey: string;
  chatbotId: string;
  shot: (name: string) => Promise<void>;
}

async function call(context: Context, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${context.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${context.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.status === 204 ? null : res.json();
}

export async function pipelineDataSteps(context: Context, step: Step) {
  const { page } = context;

  await step('"Why this reply" under a bot message shows the run that sent it, or says it has none', async () => {
    // Every turn now runs as a pipeline (a v1 chatbot as start → llm → end), so a reply the test chat produced has
    // a trace; a seeded reply stored without a run has none. Either is an answer the admin can read.
    const reply = page.locator('.message.assistant').first();
    await reply.getByText('Why this reply').click();
    await reply.locator('.trace .trace-node, :text("No trace (replies before pipelines).")').first().waitFor();
    await context.shot('why-this-reply');
  });

  await step("the participant page shows a chatbot's data, edits it as validated JSON and resets it", async () => {
    const list = (await call(context, 'GET', '/api/v1/participants?platform=api&limit=100')) as {
      data: { id: string; externalId: string }[];
    };
    const participant = list.data.find((p) => p.externalId === 'dashboard-test');
    assert.ok(participant, 'the test chat created its participant');
    await call(context, 'PUT', `/api/v1/participants/${participant.id}/data/${context.chatbotId}`, {
      shoeSize: 42,
      lastOrder: 'A-1001',
    });
    await page.goto(`${context.dashboard}#/participants/${participant.id}`);
    const card = page.getByRole('region', { name: 'Chatbot data' });
    const entry = card.getByRole('article').first();
    await entry.getByText('"shoeSize": 42').waitFor();
    await entry.getByRole('button', { name: 'Edit' }).click();
    const editor = entry.getByLabel('Data (a JSON object)');
    await editor.fill('[1, 2]');
    await entry.getByRole('button', { name: 'Save' }).click();
    await entry
      .getByRole('alert')
      .getByText(/must be a JSON object/)
      .waitFor();
    await context.shot('participant-data-invalid');
    await editor.fill('{"shoeSize": 43, "returns": 1}');
    await entry.getByRole('button', { name: 'Save' }).click();
    await entry.getByText('"shoeSize": 43').waitFor();
    const stored = (await call(context, 'GET', `/api/v1/participants/${participant.id}/data/${context.chatbotId}`)) as {
      data: unknown;
    };
    assert.deepEqual(stored.data, { shoeSize: 43, returns: 1 });
    await context.shot('participant-data');
    page.once('dialog', (dialog) => void dialog.accept());
    await entry.getByRole('button', { name: 'Reset' }).click();
    await card.getByText('No chatbot has stored data about this participant.').waitFor();
  });
}
