/**
 * The editing surface: palette, canvas, toolbar and side panel around one undo history of the graph. Edits are pure
 * functions (graph.ts); the draft saves itself (draft-sync.ts), node positions with it (each node's `ui`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { post } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import type { DefinitionIssue, NodeTypeInfo, PipelineDefinition } from './api-types';
import { Canvas, type RunStatus, type Viewport, zoomAt } from './Canvas';
import { ComparePanel } from './ComparePanel';
import { ConflictDialog } from './ConflictDialog';
import { splitLayout, templateVariables, withLayout } from './convert';
import { useDraftSync } from './draft-sync';
import { keyAction } from './editor-keys';
import {
  addNode,
  type Clip,
  connect,
  copyItems,
  fitViewport,
  type Graph,
  moveNodes,
  NODE_WIDTH,
  pasteClip,
  pruneDanglingEdges,
  removeItems,
  typeIndex,
  updateNode,
} from './graph';
import { type History, push, redo, replace, startHistory, undo } from './history';
import type { PlacedIssues } from './issues';
import { autoLayout, placeMissing } from './layout';
import { NodePanel } from './NodePanel';
import { Palette } from './Palette';
import { TestPanel } from './TestPanel';
import { type PanelMode, Toolbar } from './Toolbar';

/** How many problems the server listed: per node, per edge and for the whole graph. */
const problemCount = (issues: PlacedIssues | null) =>
  issues
    ? [...issues.nodes.values(), ...issues.edges.values()].reduce((sum, list) => sum + list.length, 0) +
      issues.graph.length
    : 0;

export interface EditorSurfaceProps {
  chatbotId: string;
  types: NodeTypeInfo[];
  initial: Graph;
  saved: PipelineDefinition;
  /** The saved draft's problems, as the server lists them. */
  savedIssues: readonly DefinitionIssue[];
  revision: string | null;
  restored: boolean;
  readOnly: boolean;
  canChat: boolean;
  onPublished: () => void;
}

/** Shared by every editor on the page, so copy in one chatbot and paste in another works. */
let clipboard: Clip | null = null;

export function EditorSurface(props: EditorSurfaceProps) {
  const types = useMemo(() => typeIndex(props.types), [props.types]);
  const [history, setHistory] = useState<History<Graph>>(() => startHistory(props.initial));
  const dragBase = useRef<Graph | null>(null);
  const graph = history.present;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const [viewport, setViewport] = useState<Viewport>({ x: 40, y: 40, k: 1 });
  const [mode, setMode] = useState<PanelMode>('edit');
  const [panelOpen, setPanelOpen] = useState(false);
  const [run, setRun] = useState<ReadonlyMap<string, RunStatus>>(new Map());
  const [message, setMessage] = useState<string | null>(
    props.restored ? 'Restored unsaved edits from this device.' : null,
  );
  const [publishError, setPublishError] = useState<ReturnType<typeof toApiError> | null>(null);
  const canvasBox = useRef<HTMLDivElement>(null);
  const lastStored = useRef<PipelineDefinition | null>(null);
  const stored = useMemo(() => {
    // Mid-drag the positions change every frame: the draft is kept and saved once, when the drag ends.
    if (dragBase.current && lastStored.current) return lastStored.current;
    return withLayout(graph.definition, graph.positions);
  }, [graph]);
  lastStored.current = stored;
  const sync = useDraftSync(props.chatbotId, stored, props.revision, props.saved, props.savedIssues);

  const edit = (next: Graph) => {
    if (props.readOnly) return;
    setHistory((h) => push(h, pruneDanglingEdges(next, types)));
  };

  const size = () => {
    const rect = canvasBox.current?.querySelector('.pl-canvas')?.getBoundingClientRect();
    return { width: rect?.width ?? 800, height: rect?.height ?? 500, left: rect?.left ?? 0, top: rect?.top ?? 0 };
  };

  const fitView = useCallback(
    (target: Graph = graph) => {
      setViewport(fitViewport(target, types, size()));
    },
    [graph, types],
  );
  useEffect(() => fitView(), []);
  // Opening the test panel or coming back from a comparison changes the canvas's width: fit the graph to it again.
  const shownMode = useRef(mode);
  useEffect(() => {
    if (shownMode.current === mode) return;
    shownMode.current = mode;
    requestAnimationFrame(() => fitView());
  }, [mode]);

  const select = useCallback((nodes: string[], edges: string[], additive: boolean) => {
    // One node chosen opens its settings; a box or Shift-click selection keeps the panel as it is.
    if (nodes.length === 1 && !additive) setPanelOpen(true);
    setSelected((now) => {
      if (!additive) return new Set(nodes);
      const next = new Set(now);
      for (const id of nodes) next.has(id) && nodes.length === 1 ? next.delete(id) : next.add(id);
      return next;
    });
    setSelectedEdges((now) => (additive ? new Set([...now, ...edges]) : new Set(edges)));
  }, []);

  const onMove = useCallback((ids: readonly string[], dx: number, dy: number, done: boolean) => {
    setHistory((h) => {
      const base = dragBase.current ?? h.present;
      dragBase.current = done ? null : base;
      const moved = moveNodes(base, ids, dx, dy);
      // The whole drag is one undo step back to where it started.
      return done ? push({ ...h, present: base }, moved) : replace(h, moved);
    });
  }, []);

  const onConnect = (from: string, port: string, to: string) => {
    const next = connect(graph, from, port, to, types);
    if (typeof next === 'string') setMessage(next);
    else {
      edit(next);
      setMessage(`Connected ${from}${port === 'out' ? '' : ` (${port})`} to ${to}.`);
    }
  };

  const add = (kind: string, client: { x: number; y: number } | null) => {
    const { width, height, left, top } = size();
    const screen = client ? { x: client.x - left, y: client.y - top } : { x: width / 2, y: height / 2 };
    const world = {
      x: (screen.x - viewport.x) / viewport.k - NODE_WIDTH / 2,
      y: (screen.y - viewport.y) / viewport.k - 28,
    };
    const result = addNode(graph, kind, { x: Math.round(world.x), y: Math.round(world.y) }, types);
    edit(result.graph);
    setSelected(new Set([result.id]));
    setSelectedEdges(new Set());
    setPanelOpen(true);
    setMode('edit');
    setMessage(`Added ${result.id}.`);
    // Keyboard users continue on the new node (Enter opens it, arrows move it).
    requestAnimationFrame(() =>
      canvasBox.current?.querySelector<HTMLElement>(`[data-node-id="${result.id}"]`)?.focus({ preventScroll: true }),
    );
  };

  const remove = () => {
    if (selected.size === 0 && selectedEdges.size === 0) return;
    edit(removeItems(graph, [...selected], [...selectedEdges]));
    setMessage(`Deleted ${selected.size + selectedEdges.size} item(s).`);
    setSelected(new Set());
    setSelectedEdges(new Set());
  };

  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select')) return;
    const action = keyAction(event);
    if (!action) return;
    event.preventDefault();
    if (typeof action === 'object') {
      if (selected.size > 0) onMove([...selected], action.move[0], action.move[1], true);
      return;
    }
    switch (action) {
      case 'undo':
        return setHistory(undo);
      case 'redo':
        return setHistory(redo);
      case 'copy':
      case 'cut':
        clipboard = copyItems(graph, [...selected]);
        setMessage(`Copied ${clipboard.nodes.length} node(s).`);
        if (action === 'cut') remove();
        return;
      case 'paste': {
        if (!clipboard || clipboard.nodes.length === 0) return;
        const result = pasteClip(graph, clipboard, { x: 40, y: 40 });
        edit(result.graph);
        setSelected(new Set(result.ids));
        return setMessage(`Pasted ${result.ids.length} node(s).`);
      }
      case 'delete':
        return remove();
      case 'select-all':
        return setSelected(new Set(graph.definition.nodes.map((node) => node.id)));
      case 'open': {
        const id = target.dataset.nodeId;
        if (id) setSelected(new Set([id]));
        setPanelOpen(true);
        setMode('edit');
        return;
      }
      case 'deselect':
        setPanelOpen(false);
        return select([], [], false);
      case 'fit':
        return fitView();
      case 'zoom-in':
      case 'zoom-out': {
        const { width, height } = size();
        return setViewport(zoomAt(viewport, action === 'zoom-in' ? 1.2 : 1 / 1.2, { x: width / 2, y: height / 2 }));
      }
    }
  };

  const onOpen = useCallback((id: string) => {
    setSelected(new Set([id]));
    setPanelOpen(true);
    setMode('edit');
  }, []);

  async function publish(note: string): Promise<boolean> {
    setPublishError(null);
    if (!(await sync.flush())) {
      setMessage('Fix the problems marked on the nodes, then publish.');
      return false;
    }
    try {
      const version = await post<{ number: number }>(
        `/api/v1/chatbots/${encodeURIComponent(props.chatbotId)}/versions`,
        { note },
      );
      setMessage(`Published v${version.number}: new conversations use it now.`);
      props.onPublished();
      return true;
    } catch (caught) {
      setPublishError(toApiError(caught));
      return false;
    }
  }

  const issues = sync.issues;
  const issueMap = useMemo(() => issues?.nodes ?? new Map(), [issues]);
  const single = selected.size === 1 ? graph.definition.nodes.find((node) => selected.has(node.id)) : undefined;
  const hasStart = graph.definition.nodes.some((node) => node.kind === 'start');

  return (
    <div class="pl-editor">
      <Toolbar
        canUndo={history.past.length > 0}
        canRedo={history.future.length > 0}
        readOnly={props.readOnly}
        canChat={props.canChat}
        status={sync.status}
        problems={problemCount(issues)}
        mode={mode}
        onMode={(next) => {
          setMode(next);
          setPanelOpen(true);
        }}
        onUndo={() => setHistory(undo)}
        onRedo={() => setHistory(redo)}
        onFit={() => fitView()}
        onZoom={(factor) => {
          const { width, height } = size();
          setViewport(zoomAt(viewport, factor, { x: width / 2, y: height / 2 }));
        }}
        onLayout={() => {
          const next = { ...graph, positions: autoLayout(graph.definition) };
          edit(next);
          fitView(next);
        }}
        onPublish={publish}
        message={message}
      />
      {publishError && <ErrorBanner title="Couldn't publish" error={publishError} />}
      {sync.status === 'error' && sync.error && <ErrorBanner title="Couldn't save the draft" error={sync.error} />}
      {issues && issues.graph.length > 0 && (
        <div class="banner error" role="alert">
          {issues.graph.map((text) => (
            <p key={text}>{text}</p>
          ))}
        </div>
      )}
      {mode === 'compare' ? (
        <ComparePanel chatbotId={props.chatbotId} types={types} positions={graph.positions} />
      ) : (
        <div class="pl-body">
          {!props.readOnly && (
            <Palette
              types={props.types}
              disabled={(type) => (type.id === 'start' && hasStart ? 'A pipeline has one start node.' : null)}
              onAdd={add}
            />
          )}
          <div class="pl-canvas-box" ref={canvasBox}>
            <Canvas
              graph={graph}
              types={types}
              viewport={viewport}
              onViewport={setViewport}
              selected={selected}
              selectedEdges={selectedEdges}
              onSelect={select}
              onMove={props.readOnly ? undefined : onMove}
              onConnect={onConnect}
              onOpen={onOpen}
              onKey={onKey}
              run={run}
              issues={issueMap}
              label="Pipeline canvas: arrow keys move the selected nodes, Enter opens a node's settings, Delete removes"
              readOnly={props.readOnly}
            />
          </div>
          {panelOpen && mode === 'test' && (
            <TestPanel chatbotId={props.chatbotId} beforeSend={sync.flush} onRun={setRun} />
          )}
          {panelOpen && mode === 'edit' && single && (
            <NodePanel
              node={single}
              type={types.get(single.kind)}
              graph={graph}
              types={types}
              problems={issueMap.get(single.id) ?? []}
              variables={templateVariables(graph.definition)}
              readOnly={props.readOnly}
              onChange={(change) => edit(updateNode(graph, single.id, change))}
              onConnect={(port, to) => onConnect(single.id, port, to)}
              onDisconnect={(key) => edit(removeItems(graph, [], [key]))}
              onDelete={remove}
              onClose={() => setPanelOpen(false)}
            />
          )}
        </div>
      )}
      {sync.status === 'conflict' && (
        <ConflictDialog
          onReload={async () => {
            const theirs = await sync.reload();
            if (!theirs) return;
            const split = splitLayout(theirs);
            setHistory((h) =>
              push(h, {
                definition: split.definition,
                positions: placeMissing(split.definition, { ...h.present.positions, ...split.positions }),
              }),
            );
          }}
          onOverwrite={() => void sync.overwrite()}
        />
      )}
    </div>
  );
}
