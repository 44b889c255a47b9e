/** The plugin SDK: everything a plugin author imports comes from here. */

export type * from './channel.ts';
export type { Clock } from './clock.ts';
export type { Plugin } from './define.ts';
export { definePlugin, settingsJsonSchema, splitSecrets } from './define.ts';
export type * from './json.ts';
export type * from './plugin.ts';
export type * from './provider.ts';
export { titled } from './titles.ts';
export type * from './tool.ts';
