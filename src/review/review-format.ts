/** Formatting helpers of the review draft: durations, UTC times, offsets and safe Markdown text. */

import { slackToPlain } from './slack-text.js';

const SECOND = 1000;

/** Whole seconds between two instants as their UTC clock readings show them, so figures agree with the times printed. */
export function secondsBetween(from: Date, to: Date): number {
  return Math.floor(to.getTime() / SECOND) - Math.floor(from.getTime() / SECOND);
}

/**
 * A duration in words: `42 s`, `4 min 12 s`, `6 min`, `1 h 3 min`, `2 d 1 h`. Under an hour to the
 * second; from an hour on to the minute (seconds are dropped, not rounded).
 */
export function formatSeconds(seconds: number): string {
  if (seconds < 0) return `minus ${formatSeconds(-seconds)}`;
  const total = Math.floor(seconds);
  if (total < 60) return `${total} s`;
  if (total < 3600) {
    const minutes = Math.floor(total / 60);
    const rest = total % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : ''].filter(Boolean).join(' ');
}

/** The duration between two instants, in words (see formatSeconds). */
export function formatDuration(from: Date, to: Date): string {
  return formatSeconds(secondsBetween(from, to));
}

/** An action's run time: milliseconds under a second, else as formatSeconds. */
export function formatRunTime(ms: number | null): string {
  if (ms === null) return '—';
  return ms < SECOND ? `${ms} ms` : ms < 60 * SECOND ? `${(ms / SECOND).toFixed(1)} s` : formatSeconds(ms / SECOND);
}

/** `+00:05:12`: hours, minutes and seconds since the start of the incident (hours grow past 99 if they must). */
export function formatOffset(start: Date, at: Date): string {
  const seconds = secondsBetween(start, at);
  const sign = seconds < 0 ? '-' : '+';
  const total = Math.abs(seconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${sign}${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** `2026-11-24 03:00:00` (UTC). */
export function formatDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 19)}`;
}

/**
 * A UTC time as the review prints it: `03:05:30` on the incident's first day, with the date on
 * any other day (`2026-11-25 01:10:00`).
 */
export function timeOfDay(at: Date, day: string): string {
  const iso = at.toISOString();
  return iso.slice(0, 10) === day ? iso.slice(11, 19) : formatDateTime(at);
}

const SLACK_USER = /^[UW][A-Z0-9]+$/;

/** Whether an actor is a Slack user ID (not a user group, a source such as `alertmanager`, or `bot`). */
export const isSlackUser = (actor: string): boolean => SLACK_USER.test(actor);
const SLACK_GROUP = /^S[A-Z0-9]+$/;

/** A Slack user ID as mention text (`<@U…>`), a user group as `group S…`, anything else (a source, `bot`) as it is. */
export function who(actor: string): string {
  if (SLACK_USER.test(actor)) return `<@${actor}>`;
  if (SLACK_GROUP.test(actor)) return `group ${actor}`;
  return inline(actor);
}

/**
 * Text from the record on one line of Markdown: line breaks become spaces, `<` cannot open HTML
 * (nor a review marker), `|` cannot end a table cell. Long text is cut at `max` characters.
 */
export function inline(text: string, max = 300): string {
  const flat = slackToPlain(text).replace(/\s*\r?\n\s*/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return safeMarkdown(cut).replaceAll('|', '\\|');
}

// A mention `<@U…>` cannot open HTML; it stays for the draft to replace with a name.
const safeMarkdown = (text: string) => text.replaceAll('&', '&amp;').replace(/<(?!@[UW][A-Z0-9]+>)/g, '&lt;');

/** Text from the record as a Markdown block quote, every line of it quoted and made safe. */
export function quote(text: string, max = 4000): string {
  const plain = slackToPlain(text);
  const cut = plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
  return cut
    .split(/\r?\n/)
    .map((line) => `> ${safeMarkdown(line)}`.trimEnd())
    .join('\n');
}

/** A link whose address may hold spaces, parentheses or pipes, as `[label](<url>)`; plain label when there is no http(s) address. */
export function markdownLink(label: string, url: string | null | undefined): string {
  if (!url || !/^https?:\/\//i.test(url)) return inline(label);
  const safe = url.replace(/[\s<>|]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${inline(label).replaceAll('[', '\\[').replaceAll(']', '\\]')}](<${safe}>)`;
}
