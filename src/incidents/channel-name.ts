/** Slack channel names: at most 80 characters of lowercase letters, digits, hyphens and underscores. */
export const MAX_CHANNEL_NAME = 80;

export function slugify(text: string, max: number): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return slug.slice(0, max).replace(/-$/, '') || 'incident';
}

/** `inc-20261124-db-connection-failures`, with an optional `-2`-style suffix for name_taken retries. */
export function channelName(prefix: string, openedAt: Date, title: string, suffix = ''): string {
  const date = openedAt.toISOString().slice(0, 10).replaceAll('-', '');
  const head = `${prefix}-${date}-`;
  const tail = suffix ? `-${suffix}` : '';
  return `${head}${slugify(title, MAX_CHANNEL_NAME - head.length - tail.length)}${tail}`;
}
