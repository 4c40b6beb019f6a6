/** A time Slack shows in the reader's own zone, e.g. "Tue, Nov 3 10:00", with UTC as the fallback text. */
export function slackDate(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}
