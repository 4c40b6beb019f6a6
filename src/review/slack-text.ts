// Only Slack's control sequences: any other `<` (an alert's `<script>`) is text, escaped later.
const TOKEN = /<((?:[@#!]|https?:|mailto:)[^<>\n]*)>/gi;
const USER = /^@([UW][A-Z0-9]+)$/;

/**
 * Text as Slack stores it (a pinned message, a note typed in Slack) as plain text for a file read
 * outside Slack: `<!date^…|fallback>` becomes its fallback, `<#C…|name>` #name, `<url|label>`
 * "label (url)", `<!here>` @here, and &amp; &lt; &gt; their characters. A mention stays `<@U…>`,
 * which the draft turns into the person's name.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(TOKEN, (whole, inner: string) => {
      const [target = '', ...rest] = inner.split('|');
      const label = rest.length > 0 ? rest.join('|') : undefined;
      const user = USER.exec(target);
      if (user) return `<@${user[1]}>`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!date^')) return label ?? whole;
      if (target.startsWith('!subteam^')) return label ?? `@${target.slice('!subteam^'.length)}`;
      if (target.startsWith('!')) return `@${target.slice(1)}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
