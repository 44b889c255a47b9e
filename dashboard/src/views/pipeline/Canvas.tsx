/**
 * The pipeline canvas, in Preact and SVG (no canvas library: @xyflow/system's pan/zoom + drag + handle modules are
 * 28.6 KB gzip on their own, against ~6 KB for this file; docs/pipeline-editor.md). Nodes are HTML (text, focus and
 * screen readers come free) in one transformed layer; edges are SVG paths in the same layer, so pan and zoom move
 * one CSS transform and a drag re-renders only the moved nodes (NodeView is memoised) and the edge paths.
 */
import { memo } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PipelineNode } from './api-types';
import type { NodeChange } from './diff-map';
import {
  acceptsInput,
  edgeKey,
  edgePort,
  type Graph,
  NODE_WIDTH,
  nodeHeight,
  outputPorts,
  type Point,
  portOffset,
  type TypeIndex,
} from './graph';

export interface Viewport {
  x: number;
  y: number;
  k: number;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'skipped';

export interface CanvasProps {
  graph: Graph;
  types: TypeIndex;
  viewport: Viewport;
  onViewport: (viewport: Viewport) => void;
  selected: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  onSelect: (nodes: string[], edges: string[], additive: boolean) => void;
  /** Called on every pointer move of a drag with the total offset so far; `done` on release (one undo step). */
  onMove?: (ids: readonly string[], dx: number, dy: number, done: boolean) => void;
  onConnect?: (from: string, port: string, to: string) => void;
  onOpen?: (id: string) => void;
  onKey?: (event: KeyboardEvent) => void;
  run?: ReadonlyMap<string, RunStatus>;
  diff?: ReadonlyMap<string, NodeChange>;
  edgeDiff?: { added: ReadonlySet<string>; removed: ReadonlySet<string> };
  issues?: ReadonlyMap<string, unknown[]>;
  label: string;
  readOnly?: boolean;
}

export const MIN_ZOOM = 0.2;
export const MAX_ZOOM = 2.5;
export const clampZoom = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/** Zooms by `factor` keeping the screen point `at` fixed. */
export function zoomAt(view: Viewport, factor: number, at: Point): Viewport {
  const k = clampZoom(view.k * factor);
  const ratio = k / view.k;
  return { k, x: at.x - (at.x - view.x) * ratio, y: at.y - (at.y - view.y) * ratio };
}

export const toWorld = (view: Viewport, screen: Point): Point => ({
  x: (screen.x - view.x) / view.k,
  y: (screen.y - view.y) / view.k,
});

/** A horizontal S-curve from an output port to an input port. */
export function edgePath(a: Point, b: Point): string {
  const bend = Math.max(40, Math.abs(b.x - a.x) / 2);
  return `M${a.x},${a.y} C${a.x + bend},${a.y} ${b.x - bend},${b.y} ${b.x},${b.y}`;
}

interface NodeViewProps {
  node: PipelineNode;
  at: Point;
  kindName: string;
  ports: string[];
  hasInput: boolean;
  height: number;
  selected: boolean;
  run?: RunStatus;
  diff?: NodeChange;
  issueCount: number;
  onPointerDown: (event: PointerEvent, id: string) => void;
  onPortDown: (event: PointerEvent, id: string, port: string) => void;
  onOpen?: (id: string) => void;
}

/** Equal unless something drawn changed; the handlers are stable (Canvas passes ref-backed wrappers). */
function sameNode(a: NodeViewProps, b: NodeViewProps): boolean {
  return (
    a.node === b.node &&
    a.at === b.at &&
    a.kindName === b.kindName &&
    a.ports.join('\n') === b.ports.join('\n') &&
    a.hasInput === b.hasInput &&
    a.height === b.height &&
    a.selected === b.selected &&
    a.run === b.run &&
    a.diff === b.diff &&
    a.issueCount === b.issueCount &&
    a.onOpen === b.onOpen
  );
}

const NodeView = memo(function NodeView(props: NodeViewProps) {
  const { node, at, ports, run, diff, issueCount } = props;
  const classes = [
    'pl-node',
    `kind-${node.kind}`,
    props.selected && 'selected',
    run && `run-${run}`,
    diff && diff !== 'same' && `diff-${diff}`,
    issueCount > 0 && 'has-issues',
  ]
    .filter(Boolean)
    .join(' ');
  const state = [
    run && `run ${run}`,
    diff && diff !== 'same' && diff,
    issueCount > 0 && `${issueCount} problem${issueCount === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join(', ');
  const title = node.label ?? node.id;
  return (
    <button
      type="button"
      class={classes}
      style={{ transform: `translate(${at.x}px, ${at.y}px)`, width: `${NODE_WIDTH}px`, height: `${props.height}px` }}
      data-node-id={node.id}
      aria-pressed={props.selected}
      // Starts with the visible text (title, kind, route labels) so speech input can name it (WCAG 2.5.3).
      aria-label={`${title} ${props.kindName}${ports.length > 1 ? ` ${ports.join(' ')}` : ''} node${state ? `, ${state}` : ''}`}
      onPointerDown={(e) => props.onPointerDown(e, node.id)}
      onDblClick={() => props.onOpen?.(node.id)}
    >
      <div class="pl-node-title">
        {/* The space keeps the visible text "title kind", as the accessible name spells it (axe label-content-name-mismatch). */}
        <strong>{title}</strong> <span class="muted small">{props.kindName}</span>
      </div>
      {issueCount > 0 && (
        // The count is drawn by CSS (::after): the name says "N problems" after the kind, the visible text stays "title kind".
        <span class="pl-node-badge" data-count={issueCount} aria-hidden="true" />
      )}
      {props.hasInput && <span class="pl-port in" data-input-of={node.id} aria-hidden="true" />}
      {ports.map((port, index) => (
        // The leading space separates route labels in the visible text ("billing other"), as in the name.
        <span
          key={port}
          class="pl-port out"
          style={{ top: `${portOffset(index, ports.length)}px` }}
          data-port={port}
          aria-hidden="true"
          onPointerDown={(e) => props.onPortDown(e, node.id, port)}
        >
          {ports.length > 1 && <span class="pl-port-label"> {port}</span>}
        </span>
      ))}
    </button>
  );
}, sameNode);

type Gesture =
  | { type: 'pan'; start: Point; origin: Viewport }
  | { type: 'drag'; start: Point; ids: string[]; moved: boolean }
  | { type: 'connect'; from: string; port: string; start: Point }
  | { type: 'marquee'; start: Point; additive: boolean };

export function Canvas(props: CanvasProps) {
  const { graph, types, viewport } = props;
  const host = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const frame = useRef(0);
  const [pointer, setPointer] = useState<Point | null>(null);
  const nodes = graph.definition.nodes;
  const byId = new Map(nodes.map((node) => [node.id, node]));

  const local = (event: { clientX: number; clientY: number }): Point => {
    const rect = host.current?.getBoundingClientRect();
    return { x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) };
  };

  // Wheel zoom needs a non-passive listener to stop the page scrolling (Preact's onWheel is passive in Chromium).
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const wheel = (event: WheelEvent) => {
      event.preventDefault();
      const at = local(event);
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015));
      props.onViewport(zoomAt(viewportRef.current, factor, at));
    };
    element.addEventListener('wheel', wheel, { passive: false });
    return () => element.removeEventListener('wheel', wheel);
  }, [props.onViewport]);
  const viewportRef = useRef(viewport);
  viewportRef.current = viewport;

  const startGesture = (event: PointerEvent, next: Gesture) => {
    gesture.current = next;
    host.current?.setPointerCapture(event.pointerId);
  };

  const onNodeDown = (event: PointerEvent, id: string) => {
    if (event.button !== 0) return;
    event.stopPropagation();
    const additive = event.shiftKey || event.metaKey || event.ctrlKey;
    const alreadySelected = props.selected.has(id);
    if (!alreadySelected || additive) props.onSelect([id], [], additive);
    (event.currentTarget as HTMLElement).focus({ preventScroll: true });
    if (props.readOnly || !props.onMove) return;
    const ids = alreadySelected && !additive ? [...props.selected] : additive ? [...props.selected, id] : [id];
    startGesture(event, { type: 'drag', start: local(event), ids, moved: false });
  };

  const onPortDown = (event: PointerEvent, id: string, port: string) => {
    if (event.button !== 0 || props.readOnly) return;
    event.stopPropagation();
    startGesture(event, { type: 'connect', from: id, port, start: local(event) });
    setPointer(local(event));
  };

  const onBackgroundDown = (event: PointerEvent) => {
    if (event.button !== 0 && event.button !== 1) return;
    host.current?.focus({ preventScroll: true });
    if (event.shiftKey) {
      startGesture(event, { type: 'marquee', start: local(event), additive: true });
      setPointer(local(event));
      return;
    }
    props.onSelect([], [], false);
    startGesture(event, { type: 'pan', start: local(event), origin: viewport });
  };

  const onPointerMove = (event: PointerEvent) => {
    const current = gesture.current;
    if (!current) return;
    const at = local(event);
    cancelAnimationFrame(frame.current);
    // One update per frame however fast the pointer reports (120 Hz mice report twice per frame).
    frame.current = requestAnimationFrame(() => {
      if (current.type === 'pan') {
        props.onViewport({
          ...current.origin,
          x: current.origin.x + at.x - current.start.x,
          y: current.origin.y + at.y - current.start.y,
        });
      } else if (current.type === 'drag') {
        current.moved = true;
        const k = viewportRef.current.k;
        props.onMove?.(current.ids, (at.x - current.start.x) / k, (at.y - current.start.y) / k, false);
      } else setPointer(at);
    });
  };

  const onPointerUp = (event: PointerEvent) => {
    const current = gesture.current;
    gesture.current = null;
    cancelAnimationFrame(frame.current);
    if (!current) return;
    const at = local(event);
    if (current.type === 'drag' && current.moved) {
      const k = viewport.k;
      props.onMove?.(current.ids, (at.x - current.start.x) / k, (at.y - current.start.y) / k, true);
    } else if (current.type === 'connect') {
      // Released over a node (its input port or its body) connects to it.
      const target = document
        .elementsFromPoint(event.clientX, event.clientY)
        .map((element) => element.closest<HTMLElement>('[data-node-id]'))
        .find((element) => element && element.dataset.nodeId !== current.from);
      const to = target?.dataset.nodeId;
      if (to) props.onConnect?.(current.from, current.port, to);
    } else if (current.type === 'marquee') {
      const a = toWorld(viewport, current.start);
      const b = toWorld(viewport, at);
      const [x0, x1, y0, y1] = [Math.min(a.x, b.x), Math.max(a.x, b.x), Math.min(a.y, b.y), Math.max(a.y, b.y)];
      const inside = nodes.filter((node) => {
        const p = graph.positions[node.id];
        return p && p.x + NODE_WIDTH >= x0 && p.x <= x1 && p.y + nodeHeight(node, types) >= y0 && p.y <= y1;
      });
      props.onSelect(
        inside.map((node) => node.id),
        [],
        current.additive,
      );
    }
    setPointer(null);
  };

  const latest = useRef({ onNodeDown, onPortDown });
  latest.current = { onNodeDown, onPortDown };
  const [stable] = useState(() => ({
    onNodeDown: (event: PointerEvent, id: string) => latest.current.onNodeDown(event, id),
    onPortDown: (event: PointerEvent, id: string, port: string) => latest.current.onPortDown(event, id, port),
  }));

  const outPoint = (id: string, port: string): Point | null => {
    const node = byId.get(id);
    const at = graph.positions[id];
    if (!node || !at) return null;
    const ports = outputPorts(node, types);
    const index = Math.max(0, ports.indexOf(port));
    return { x: at.x + NODE_WIDTH, y: at.y + portOffset(index, ports.length) };
  };
  const inPoint = (id: string): Point | null => {
    const node = byId.get(id);
    const at = graph.positions[id];
    return node && at ? { x: at.x, y: at.y + nodeHeight(node, types) / 2 } : null;
  };

  const gestureNow = gesture.current;
  const preview =
    gestureNow?.type === 'connect' && pointer ? (
      <path
        class="pl-edge preview"
        d={edgePath(outPoint(gestureNow.from, gestureNow.port) ?? { x: 0, y: 0 }, toWorld(viewport, pointer))}
      />
    ) : null;
  const marquee =
    gestureNow?.type === 'marquee' && pointer ? (
      <div
        class="pl-marquee"
        style={{
          left: `${Math.min(gestureNow.start.x, pointer.x)}px`,
          top: `${Math.min(gestureNow.start.y, pointer.y)}px`,
          width: `${Math.abs(pointer.x - gestureNow.start.x)}px`,
          height: `${Math.abs(pointer.y - gestureNow.start.y)}px`,
        }}
      />
    ) : null;

  return (
    <div
      ref={host}
      class={`pl-canvas${props.readOnly ? ' read-only' : ''}`}
      role="application"
      aria-label={props.label}
      aria-roledescription="pipeline canvas"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region; it takes shortcuts (paste, fit) when empty
      tabIndex={0}
      onPointerDown={onBackgroundDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={(e) => props.onKey?.(e)}
      style={{
        backgroundPosition: `${viewport.x}px ${viewport.y}px`,
        backgroundSize: `${24 * viewport.k}px ${24 * viewport.k}px`,
      }}
    >
      <div class="pl-world" style={{ transform: `translate(${viewport.x}px, ${viewport.y}px) scale(${viewport.k})` }}>
        <svg class="pl-edges" aria-hidden="true" width="1" height="1">
          <defs>
            <marker id="pl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L10,5 L0,10 z" />
            </marker>
          </defs>
          {graph.definition.edges.map((edge) => {
            const a = outPoint(edge.from, edgePort(edge));
            const b = inPoint(edge.to);
            if (!a || !b) return null;
            const key = edgeKey(edge);
            const from = props.run?.get(edge.from);
            const lit = from === 'completed' && props.run?.has(edge.to);
            const cls = [
              'pl-edge',
              props.selectedEdges.has(key) && 'selected',
              lit && 'lit',
              props.edgeDiff?.added.has(key) && 'diff-added',
              props.edgeDiff?.removed.has(key) && 'diff-removed',
            ]
              .filter(Boolean)
              .join(' ');
            const d = edgePath(a, b);
            return (
              <g key={key} data-edge={key}>
                <path class={cls} d={d} marker-end="url(#pl-arrow)" />
                <path
                  class="pl-edge-hit"
                  d={d}
                  onPointerDown={(e) => {
                    e.stopPropagation();
                    props.onSelect([], [key], e.shiftKey);
                  }}
                />
              </g>
            );
          })}
          {preview}
        </svg>
        {nodes.map((node) => {
          const type = types.get(node.kind);
          return (
            <NodeView
              key={node.id}
              node={node}
              at={graph.positions[node.id] ?? { x: 0, y: 0 }}
              kindName={type?.displayName ?? node.kind}
              ports={outputPorts(node, types)}
              hasInput={acceptsInput(node, types)}
              height={nodeHeight(node, types)}
              selected={props.selected.has(node.id)}
              run={props.run?.get(node.id)}
              diff={props.diff?.get(node.id)}
              issueCount={props.issues?.get(node.id)?.length ?? 0}
              onPointerDown={stable.onNodeDown}
              onPortDown={stable.onPortDown}
              onOpen={props.onOpen}
            />
          );
        })}
      </div>
      {marquee}
    </div>
  );
}
