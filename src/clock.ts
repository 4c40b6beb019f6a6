/** Time as the bot sees it; tests swap it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
