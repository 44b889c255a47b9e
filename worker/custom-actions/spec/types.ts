// STUB of m10-ca-spec's module (the interface in /work/wt/prompts/ca-shared.md): deleted when that branch is merged.
export type JsonSchema = { [key: string]: unknown };
export interface SpecIssue {
  path: string;
  message: string;
}
export interface ParsedSpec {
  openapi: string;
  title: string;
  version: string;
  servers: string[];
  document: Record<string, unknown>;
}
export type ParameterPlace = 'path' | 'query' | 'header' | 'body';
export interface ActionOperation {
  operationId: string;
  toolName: string;
  method: 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
  path: string;
  summary: string;
  parameters: JsonSchema;
  bodyMediaType: 'application/json' | 'application/x-www-form-urlencoded' | null;
  security: Array<Record<string, string[]>>;
}
export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}
