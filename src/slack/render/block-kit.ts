import type { KnownBlock } from '@slack/types';

/** Block Kit's documented limits (api.slack.com/reference/block-kit). */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3_000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2_000,
  contextElements: 10,
  messageText: 40_000,
  topic: 250,
} as const;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Splits mrkdwn into chunks of at most `max` characters, preferring line breaks, never splitting a code fence open. */
export function chunkText(text: string, max: number = LIMITS.sectionText): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    let chunk = rest.slice(0, cut);
    // An odd number of ``` means the cut falls inside a code block: close it here, reopen next.
    const fences = chunk.split('```').length - 1;
    rest = rest.slice(cut).replace(/^\n/, '');
    if (fences % 2 === 1) {
      chunk = `${chunk.slice(0, max - 4)}\n\`\`\``;
      rest = `\`\`\`\n${rest}`;
    }
    chunks.push(chunk);
  }
  if (rest.trim() !== '') chunks.push(rest);
  return chunks;
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function section(mrkdwn: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

export function fields(items: string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < items.length; i += LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: items.slice(i, i + LIMITS.fieldsPerSection).map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.fieldText) })),
    });
  }
  return blocks;
}

export function context(items: string[]): KnownBlock {
  return { type: 'context', elements: items.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) })) };
}

export const divider: KnownBlock = { type: 'divider' };

/** Splits blocks into messages of at most 50 blocks each. */
export function paginate(blocks: KnownBlock[], perMessage: number = LIMITS.blocksPerMessage): KnownBlock[][] {
  const pages: KnownBlock[][] = [];
  for (let i = 0; i < blocks.length; i += perMessage) pages.push(blocks.slice(i, i + perMessage));
  return pages;
}
