/** The build inlines stylesheets as minified strings (see `cssAsMinifiedText` in scripts/build-ui.ts). */
declare module '*.css' {
  const css: string;
  export default css;
}
