/** A small static drawing of a pipeline (the template picker's preview): boxes and curves, auto-laid out. */
import type { PipelineDefinition } from './api-types';
import { edgePath } from './Canvas';
import { edgePort, NODE_HEIGHT, NODE_WIDTH } from './graph';
import { autoLayout } from './layout';

export function GraphPreview({ definition, label }: { definition: PipelineDefinition; label: string }) {
  const at = autoLayout(definition);
  const points = Object.values(at);
  const width = Math.max(NODE_WIDTH, ...points.map((p) => p.x + NODE_WIDTH));
  const height = Math.max(NODE_HEIGHT, ...points.map((p) => p.y + NODE_HEIGHT));
  return (
    <svg class="pl-preview" viewBox={`-10 -10 ${width + 20} ${height + 20}`} role="img" aria-label={label}>
      {definition.edges.map((edge) => {
        const a = at[edge.from];
        const b = at[edge.to];
        if (!a || !b) return null;
        return (
          <path
            key={`${edge.from}-${edgePort(edge)}-${edge.to}`}
            class="pl-edge"
            d={edgePath({ x: a.x + NODE_WIDTH, y: a.y + NODE_HEIGHT / 2 }, { x: b.x, y: b.y + NODE_HEIGHT / 2 })}
          />
        );
      })}
      {definition.nodes.map((node) => {
        const p = at[node.id];
        if (!p) return null;
        return (
          <g key={node.id} transform={`translate(${p.x},${p.y})`}>
            <rect class="pl-preview-node" width={NODE_WIDTH} height={NODE_HEIGHT} rx="8" />
            <text x="12" y={NODE_HEIGHT / 2 + 6}>
              {node.label ?? node.id}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
