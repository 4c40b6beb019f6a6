/** The first `update.posted` of a timeline, for the review's "Time to first update". */
export function firstUpdateAt(timeline: readonly { type: string; at: Date }[]): Date | undefined {
  return timeline.find((event) => event.type === 'update.posted')?.at;
}
