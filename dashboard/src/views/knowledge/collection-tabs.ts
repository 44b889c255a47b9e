/** The collection page's tabs (`#/knowledge/<id>/<tab>`); the chunk viewer sits under documents. */
export const collectionTabs = [
  ['documents', 'Documents'],
  ['search', 'Query preview'],
  ['settings', 'Settings'],
] as const;

export type CollectionTab = (typeof collectionTabs)[number][0];

export const isCollectionTab = (value: string | undefined): value is CollectionTab =>
  collectionTabs.some(([key]) => key === value);
