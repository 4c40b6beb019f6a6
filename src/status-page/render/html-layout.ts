import { escapeHtml } from './escape-html.js';
import { STATUS_CSS } from './status-css.js';

/** The document around a page: inline styles only, and no script anywhere. */
export function htmlLayout(options: { siteTitle: string; title: string; description: string; body: string }): string {
  const site = escapeHtml(options.siteTitle);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title><meta name="description" content="${escapeHtml(options.description)}">
<meta name="color-scheme" content="light dark">
<link rel="alternate" type="application/atom+xml" title="${site} history" href="/history.atom">
<style>${STATUS_CSS}</style></head>
<body><header class="masthead"><div class="wrap"><a class="brand" href="/">${site}</a><a class="subscribe" href="/history.atom">Subscribe to updates</a></div></header>
<main class="wrap">${options.body}</main>
<footer class="wrap"><a href="/history.atom">Atom feed</a> · <a href="/api/v2/summary.json">API</a></footer>
</body></html>
`;
}
