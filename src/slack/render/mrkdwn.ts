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

/**
 * Converts the Markdown runbooks are written in to Slack mrkdwn: headings and **bold** become
 * *bold*, [text](url) a link, list bullets •; code spans and fenced blocks are kept as they are.
 */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      out.push('```');
      continue;
    }
    if (inFence) {
      out.push(escapeMrkdwn(line));
      continue;
    }
    out.push(convertLine(line));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function convertLine(line: string): string {
  const heading = /^#{1,6}\s+(.*)$/.exec(line);
  if (heading) return `*${convertInline(heading[1] ?? '')}*`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${' '.repeat((bullet[1] ?? '').length)}• ${convertInline(bullet[2] ?? '')}`;
  return convertInline(line);
}

function convertInline(text: string): string {
  // Split out code spans so nothing inside them is rewritten.
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => {
      if (index % 2 === 1) return escapeMrkdwn(part);
      return escapeMrkdwn(part)
        .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => `<${url}|${label}>`)
        .replace(/\*\*(.+?)\*\*/g, '*$1*')
        .replace(/__(.+?)__/g, '*$1*');
    })
    .join('');
}
