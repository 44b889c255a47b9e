/**
 * The selected node's side panel: its label, settings (a form generated from the kind's JSON Schema), the server's
 * problems with it, and its connections. "Connect to…" is the keyboard path for what the mouse does by dragging a
 * port, and lists every node the port may lead to.
 */
import { useState } from 'preact/hooks';
import type { NodeRunAnswer } from '../../../../worker/pipelines/node-run-routes.ts';
import { SchemaEditor } from '../../components/SchemaEditor';
import { post } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import type { NodeTypeInfo, PipelineNode } from './api-types';
import { acceptsInput, edgeKey, edgePort, type Graph, outputPorts, reaches, type TypeIndex } from './graph';
import { useCollections } from './use-collections';
import { useToolCatalog } from './use-tools';

export interface NodePanelProps {
  node: PipelineNode;
  type: NodeTypeInfo | undefined;
  graph: Graph;
  types: TypeIndex;
  problems: readonly { field: string; message: string }[];
  variables: readonly string[];
  readOnly: boolean;
  onChange: (change: { settings?: Record<string, unknown>; label?: string }) => void;
  onConnect: (port: string, to: string) => void;
  onDisconnect: (key: string) => void;
  onDelete: () => void;
  onClose: () => void;
}

function errorMap(problems: NodePanelProps['problems']): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { field, message } of problems) map.set(field, [...(map.get(field) ?? []), message]);
  return map;
}

/**
 * Kinds a sample run can execute: every kind but start/end and those that call a model or a tool (the server refuses
 * them: a tool may write).
 */
export const sampleRunnable = (node: PipelineNode) =>
  node.kind !== 'start' && node.kind !== 'end' && node.kind !== 'tool' && !('providerId' in node.settings);

type SampleOutcome = { answer: NodeRunAnswer } | { failure: string };

function parseSample(text: string, what: string): unknown {
  try {
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new SyntaxError(`the ${what} is not JSON`);
  }
}

/**
 * Runs the node alone on a sample input and state (`POST /api/v1/pipelines/nodes/run`): nothing is committed or sent,
 * so the panel shows what the node would output, write, tag and log.
 */
function SampleRun({ node }: { node: PipelineNode }) {
  const [input, setInput] = useState('"hello"');
  const [state, setState] = useState('');
  const [outcome, setOutcome] = useState<SampleOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    try {
      const sampleState = parseSample(state, 'sample state');
      const answer = await post<NodeRunAnswer>('/api/v1/pipelines/nodes/run', {
        kind: node.kind,
        settings: node.settings,
        input: parseSample(input, 'sample input') ?? null,
        ...(sampleState !== undefined && { state: sampleState }),
      });
      setOutcome({ answer });
    } catch (caught) {
      setOutcome({ failure: caught instanceof SyntaxError ? caught.message : toApiError(caught).message });
    } finally {
      setBusy(false);
    }
  }
  const answer = outcome && 'answer' in outcome ? outcome.answer : null;
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return (
    <fieldset class="schema-object">
      <legend>Run with sample input</legend>
      <label>
        Sample input (JSON)
        <textarea rows={2} value={input} onInput={(e) => setInput(e.currentTarget.value)} />
      </label>
      <label>
        Sample state (JSON, optional: {'{ "session": {…}, "participant": {…}, "run": {…} }'})
        <textarea rows={2} value={state} onInput={(e) => setState(e.currentTarget.value)} />
      </label>
      <button type="button" class="button subtle" disabled={busy} onClick={() => void run()}>
        {busy ? 'Running…' : 'Run with sample input'}
      </button>
      <div aria-live="polite">
        {outcome && 'failure' in outcome && (
          <p class="banner error" role="alert">
            Couldn't run: {outcome.failure}
          </p>
        )}
        {answer && (
          <div class="pl-sample-result">
            {answer.error ? (
              <p class="banner error" role="alert">
                {answer.error.code === 'timeout' ? 'Timed out' : 'Failed'}: {answer.error.message}
              </p>
            ) : (
              <>
                <h4 class="small">
                  Output{answer.route && answer.route !== 'out' ? ` (route “${answer.route}”)` : ''} ·{' '}
                  {answer.durationMs} ms
                </h4>
                <pre class="pl-json">{json(answer.output)}</pre>
              </>
            )}
            {answer.stateWrites.length > 0 && (
              <>
                <h4 class="small">Would write (not saved)</h4>
                <pre class="pl-json">{json(answer.stateWrites)}</pre>
              </>
            )}
            {(answer.tags.length > 0 || answer.replies.length > 0) && (
              <p class="muted small">
                {answer.tags.length > 0 && <>Tags: {answer.tags.map((tag) => tag.name).join(', ')}. </>}
                {answer.replies.length > 0 && <>Would reply: {answer.replies.join(' / ')}</>}
              </p>
            )}
            <h4 class="small">Logs</h4>
            {answer.logs.length > 0 ? (
              <pre class="pl-json">{answer.logs.join('\n')}</pre>
            ) : (
              <p class="muted small">No console output.</p>
            )}
          </div>
        )}
      </div>
    </fieldset>
  );
}

function Connections(props: NodePanelProps) {
  const { node, graph, types } = props;
  const ports = outputPorts(node, types);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const outgoing = graph.definition.edges.filter((edge) => edge.from === node.id);
  const incoming = graph.definition.edges.filter((edge) => edge.to === node.id);
  const targets = graph.definition.nodes.filter(
    (other) => other.id !== node.id && acceptsInput(other, types) && !reaches(graph.definition, other.id, node.id),
  );
  return (
    <section aria-label="Connections">
      <h3 class="small">Connections</h3>
      {incoming.length > 0 && (
        <p class="muted small">
          From: {incoming.map((edge) => `${edge.from}${edge.fromPort ? ` (${edge.fromPort})` : ''}`).join(', ')}
        </p>
      )}
      <ul class="pl-port-list">
        {outgoing.map((edge) => (
          <li key={edgeKey(edge)}>
            {edgePort(edge)} → {edge.to}
            {!props.readOnly && (
              <button
                type="button"
                class="button subtle small"
                aria-label={`Disconnect ${edgePort(edge)} from ${edge.to}`}
                onClick={() => props.onDisconnect(edgeKey(edge))}
              >
                Disconnect
              </button>
            )}
          </li>
        ))}
      </ul>
      {!props.readOnly &&
        ports.map((port) => (
          <div class="row pl-connect" key={port}>
            <label class="grow">
              Connect {ports.length > 1 ? `route “${port}”` : 'output'} to
              <select
                value={choice[port] ?? ''}
                onChange={(e) => setChoice({ ...choice, [port]: e.currentTarget.value })}
              >
                <option value="">Choose a node…</option>
                {targets.map((target) => (
                  <option key={target.id} value={target.id}>
                    {target.label ?? target.id} ({types.get(target.kind)?.displayName ?? target.kind})
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              class="button subtle"
              disabled={!choice[port]}
              onClick={() => {
                const to = choice[port];
                if (to) props.onConnect(port, to);
                setChoice({ ...choice, [port]: '' });
              }}
            >
              Connect
            </button>
          </div>
        ))}
    </section>
  );
}

export function NodePanel(props: NodePanelProps) {
  const { node, type } = props;
  const errors = errorMap(props.problems);
  const collections = useCollections();
  const toolCatalog = useToolCatalog();
  const nodeLevel = [...(errors.get('') ?? []), ...(errors.get('id') ?? []), ...(errors.get('kind') ?? [])];
  return (
    <section class="pl-panel" aria-label={`Settings of ${node.label ?? node.id}`}>
      <div class="row">
        <h2 class="grow">{node.label ?? node.id}</h2>
        <button type="button" class="button subtle small" onClick={props.onClose} aria-label="Close settings">
          ✕
        </button>
      </div>
      <p class="muted small">
        {type?.displayName ?? node.kind} · id <code>{node.id}</code>
        {type?.description && <> · {type.description}</>}
      </p>
      {nodeLevel.length > 0 && (
        <div class="banner error" role="alert">
          {nodeLevel.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <fieldset disabled={props.readOnly} class="plain">
        <label>
          Label (optional)
          <input
            value={node.label ?? ''}
            maxLength={80}
            placeholder={node.id}
            onInput={(e) => props.onChange({ label: e.currentTarget.value })}
          />
        </label>
        {type ? (
          <SchemaEditor
            schema={type.settingsSchema}
            value={node.settings}
            onChange={(settings) => props.onChange({ settings })}
            errors={errors}
            variables={props.variables}
            {...(collections && { collections })}
            {...(toolCatalog && { toolCatalog })}
            idPrefix={`node-${node.id}`}
          />
        ) : (
          <p class="muted">This server has no node kind “{node.kind}”; its settings are kept as they are.</p>
        )}
      </fieldset>
      {sampleRunnable(node) && <SampleRun node={node} />}
      <Connections {...props} />
      {!props.readOnly && (
        <button type="button" class="button danger" onClick={props.onDelete}>
          Delete node
        </button>
      )}
    </section>
  );
}
