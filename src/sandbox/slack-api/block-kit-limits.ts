/**
 * Block Kit validation with the limits Slack documents (docs.slack.dev/reference/block-kit and the
 * `@slack/types` descriptions, which are generated from the same reference).
 *
 * Violations are reported the way Slack reports them: a human message followed by a JSON pointer into the
 * request payload, e.g. `must be less than 3001 characters [json-pointer:/blocks/0/text/text]` or
 * `no more than 25 items allowed [json-pointer:/blocks/1/elements]` (both wordings as seen in real Slack
 * responses). Every violation in the payload is reported, not just the first one.
 *
 * Wordings not observed in Slack responses (duplicate ids, unknown block type) are fake-specific and are
 * marked as such below.
 */

/** Where the blocks are rendered: limits differ between messages and modals. */
export type Surface = 'message' | 'modal';

export const BLOCK_KIT_LIMITS = {
  /** "You can include up to 50 blocks in each message, and 100 blocks in modals or Home tabs." */
  blocksPerSurface: { message: 50, modal: 100 },
  blockId: 255,
  actionId: 255,
  header: { text: 150 },
  section: { textMin: 1, text: 3000, fields: 10, fieldText: 2000 },
  actions: { elements: 25 },
  context: { elements: 10 },
  contextActions: { elements: 5 },
  markdown: { text: 12_000 },
  image: { altText: 2000, imageUrl: 3000, title: 2000 },
  input: { label: 2000, hint: 2000 },
  button: { text: 75, value: 2000, url: 3000, accessibilityLabel: 75 },
  option: { text: 75, value: 75 },
  staticSelect: { options: 100, optionGroups: 100 },
  overflow: { options: 5 },
  checkboxes: { options: 10 },
  radioButtons: { options: 10 },
  container: { blocks: 10, title: 150 },
  carousel: { cards: 10 },
  /** Top-level `text` of a message; Slack truncates beyond this (see chat.postMessage docs). */
  messageText: 40_000,
  modal: { title: 24, submit: 24, close: 24, privateMetadata: 3000, callbackId: 255, externalId: 255 },
} as const;

/** Block types known to Slack (the `KnownBlock` union of @slack/types 3.x). */
export const KNOWN_BLOCK_TYPES = [
  'actions',
  'alert',
  'card',
  'carousel',
  'container',
  'context',
  'context_actions',
  'data_table',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'plan',
  'rich_text',
  'section',
  'table',
  'task_card',
  'video',
] as const;
export type KnownBlockType = (typeof KNOWN_BLOCK_TYPES)[number];

export interface Violation {
  /** JSON pointer into the request payload (`/blocks/...` or `/view/...`). */
  pointer: string;
  message: string;
}

export interface BlockKitOptions {
  surface: Surface;
  /** Pointer prefix of the blocks array. Default `/blocks` (messages) or `/view/blocks` (modals). */
  pointer?: string;
  /**
   * Scope in which `action_id` must be unique. Slack documents "unique among all other action_ids in the
   * containing block" (default `'block'`); `'message'` is stricter.
   */
  actionIdScope?: 'block' | 'message';
}

/** `must be less than 3001 characters [json-pointer:/blocks/0/text/text]` */
export function formatViolation(v: Violation): string {
  return `${v.message} [json-pointer:${v.pointer}]`;
}
