/** A subrequest budget shared by the steps of one invocation (steps.ts, objects.ts): each spends from `left`. */
export interface Budget {
  left: number;
}
