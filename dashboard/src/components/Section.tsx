export function SectionHeader({ id, title, count }: { id: string; title: string; count: number | null }) {
  return (
    <div class="section-header">
      <h2 id={id}>{title}</h2>
      {count !== null && <span class="count">{count}</span>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading muted" role="status">
      Loading {what}…
    </p>
  );
}
