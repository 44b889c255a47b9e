/**
 * A PagedList shown as the dashboard's standard table (`table.table`, one header row, one row per item), so the list
 * views declare their columns instead of repeating the table scaffolding.
 */
import type { ComponentChildren } from 'preact';
import { PagedList, type PagedListProps } from './paged-list';

export interface Column<T> {
  /** The column's heading. */
  header: string;
  /**
   * Read by screen readers but not shown (row actions, whose buttons say what they do): a header cell must have text
   * (axe `empty-table-header`), and a visible "Actions" over a row of buttons only adds noise.
   */
  hiddenHeader?: boolean;
  /** The class of the column's cells (`num`, `muted`, `actions` …), as the stylesheet styles them. */
  class?: string;
  cell: (item: T) => ComponentChildren;
}

interface PagedTableProps<T> extends Omit<PagedListProps<T>, 'children'> {
  columns: readonly Column<T>[];
  rowKey: (item: T) => string;
  /** The class of an item's row, e.g. to grey out revoked keys. */
  rowClass?: (item: T) => string;
}

export function PagedTable<T>({ columns, rowKey, rowClass, ...list }: PagedTableProps<T>) {
  return (
    <PagedList<T> {...list}>
      {(items) => (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                {columns.map((column, index) => (
                  // Columns are fixed for the table's lifetime, so a position identifies one.
                  <th key={index}>
                    {column.hiddenHeader ? <span class="visually-hidden">{column.header}</span> : column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={rowKey(item)} class={rowClass?.(item)}>
                  {columns.map((column, index) => (
                    <td key={index} class={column.class}>
                      {column.cell(item)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </PagedList>
  );
}
