/** `<@U…>` for people, `<!subteam^S…>` for user groups. */
export function mentionAll(ids: readonly string[]): string {
  return ids.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`)).join(' ');
}
