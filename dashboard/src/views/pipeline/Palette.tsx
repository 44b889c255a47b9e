/**
 * The node kinds from `GET /api/v1/pipelines/node-types`. Drag one onto the canvas with the mouse (pointer events, so
 * touch and pen work and no HTML drag-and-drop ghost), or press it (click, Enter, Space) to add it in the middle of
 * the view: the keyboard path.
 */
import { useRef, useState } from 'preact/hooks';
import type { NodeTypeInfo } from './api-types';
import type { Point } from './graph';

export function Palette({
  types,
  disabled,
  onAdd,
}: {
  types: readonly NodeTypeInfo[];
  disabled: (type: NodeTypeInfo) => string | null;
  /** `at` is the drop point in client coordinates, or null for "the middle of the view". */
  onAdd: (kind: string, at: Point | null) => void;
}) {
  const drag = useRef<{ kind: string; start: Point; moved: boolean } | null>(null);
  const suppressClick = useRef(false);
  const [ghost, setGhost] = useState<{ label: string; at: Point } | null>(null);

  return (
    <nav class="pl-palette" aria-label="Node kinds">
      <h2 class="small">Add a node</h2>
      <p class="muted small">Drag onto the canvas, or press to add.</p>
      <ul>
        {types.map((type) => {
          const why = disabled(type);
          return (
            <li key={type.id}>
              <button
                type="button"
                class="pl-palette-item"
                data-kind={type.id}
                disabled={why !== null}
                title={why ?? type.description}
                aria-description={why ?? type.description}
                onPointerDown={(e) => {
                  if (e.button !== 0) return;
                  e.currentTarget.setPointerCapture(e.pointerId);
                  drag.current = { kind: type.id, start: { x: e.clientX, y: e.clientY }, moved: false };
                }}
                onPointerMove={(e) => {
                  const current = drag.current;
                  if (!current) return;
                  if (!current.moved && Math.hypot(e.clientX - current.start.x, e.clientY - current.start.y) < 5)
                    return;
                  current.moved = true;
                  setGhost({ label: type.displayName, at: { x: e.clientX, y: e.clientY } });
                }}
                onPointerUp={(e) => {
                  const current = drag.current;
                  drag.current = null;
                  setGhost(null);
                  if (!current?.moved) return;
                  suppressClick.current = true;
                  const overCanvas = document
                    .elementsFromPoint(e.clientX, e.clientY)
                    .some((element) => element.closest('.pl-canvas'));
                  if (overCanvas) onAdd(current.kind, { x: e.clientX, y: e.clientY });
                }}
                onClick={() => {
                  if (suppressClick.current) {
                    suppressClick.current = false;
                    return;
                  }
                  onAdd(type.id, null);
                }}
              >
                <strong>{type.displayName}</strong>
                <span class="muted small">{type.description}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {ghost && (
        <div class="pl-ghost" style={{ left: `${ghost.at.x}px`, top: `${ghost.at.y}px` }} aria-hidden="true">
          {ghost.label}
        </div>
      )}
    </nav>
  );
}
