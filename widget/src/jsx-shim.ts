/**
 * Injected by scripts/build-ui.ts: the widget compiles JSX to Preact's `h` (classic transform), which is smaller in
 * the bundle than the automatic runtime. Type checking still uses tsconfig's react-jsx settings.
 */
export { Fragment, h } from 'preact';
