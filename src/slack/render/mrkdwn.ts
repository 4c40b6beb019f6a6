/** Escapes text for Slack mrkdwn: only &, < and > are special. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * A Slack link, `<url|label>`, with both parts made safe. Only http(s) URLs become links: an
 * alert's URL such as `!channel` would otherwise render as a mention of everyone.
 */
export function link(url: string, label: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeMrkdwn(label);
  return `<${url.replaceAll('|', '%7C').replaceAll('>', '%3E').replaceAll('<', '%3C')}|${escapeMrkdwn(label).replaceAll('|', '¦')}>`;
}
