/**
 * A customer page with deliberately hostile CSS that embeds the widget exactly as the README snippet says. It has its
 * own <header> (banner landmark), as most sites do, so the accessibility check sees whether the widget adds a second.
 */
export function hostPage(api: string, widgetKey: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Garden Supply</title>
<style>
  * { font-family: Georgia, serif !important; letter-spacing: 0.05em !important; box-sizing: content-box !important; }
  body { margin: 0; background: #fdf6e3; color: #3b2f1e; line-height: 2; }
  main { max-width: 720px; margin: 0 auto; padding: 48px 24px; }
  h1 { font-size: 40px; margin: 0 0 8px; }
  button, input, textarea { background: #e11d48 !important; color: #fff !important; border: 4px dashed lime !important;
    text-transform: uppercase !important; padding: 20px !important; }
  div, section, header, footer, form, ol, li, p { display: block !important; border: 1px solid orange; margin: 9px; }
  svg { display: none !important; }
  parley-widget { font-size: 30px; color: red !important; }
  a { color: yellow !important; }
  .dark body { background: #0b1020; color: #e5e7eb; }
</style>
<script>performance.mark('host:before-widget');</script>
<script src="${api}/widget.js" data-key="${widgetKey}" async></script>
</head>
<body>
<header><strong>Acme Garden Supply</strong> · <a href="#">Shop</a> · <a href="#">Contact</a></header>
<main>
  <h1>Acme Garden Supply</h1>
  <p>A pretend customer website whose styles are intentionally loud; none of them may reach the widget.</p>
  <p><a href="#">A host link</a> <button type="button" id="host-button">A host page button</button></p>
</main>
</body>
</html>
`;
}
