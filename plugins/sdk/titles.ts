import type { z } from 'zod';

/**
 * A settings schema with a human title on every field (JSON Schema `title`, which generated forms use as the label,
 * so admins read "API base URL", not "Api Base Url"). Every key needs one: the mapped type makes a missing title a
 * compile error. Descriptions stay where `.describe()` put them.
 */
export function titled<T extends z.ZodRawShape>(schema: z.ZodObject<T>, titles: { [K in keyof T]: string }) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    shape[key] = (field as z.ZodType).meta({ title: titles[key as keyof T] });
  }
  return schema.extend(shape) as unknown as z.ZodObject<T>;
}
