/**
 * Slash command text as people read it. The command is registered with `should_escape: true`, so
 * Slack sends mentions as `<@U123|alice>`, channels as `<#C123|ops>`, links as `<https://…|label>`
 * and `&`, `<`, `>` as entities; free text (titles, notes, summaries) is stored in the readable form.
 */
export function plainText(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)\|([^>]+)>/g, '@$2')
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/<!subteam\^(S[A-Z0-9]+)\|([^>]+)>/g, '$2')
    .replace(/<!subteam\^(S[A-Z0-9]+)>/g, '@$1')
    .replace(/<#(C[A-Z0-9]+)\|([^>]*)>/g, (_match, id: string, name: string) => `#${name || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
