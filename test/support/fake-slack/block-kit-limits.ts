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

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isKnownBlockType(t: string): t is KnownBlockType {
  return (KNOWN_BLOCK_TYPES as readonly string[]).includes(t);
}

/** Collects violations while walking one payload. */
class Checker {
  readonly violations: Violation[] = [];
  private readonly blockIds = new Set<string>();
  private messageActionIds = new Set<string>();
  private blockActionIds = new Set<string>();

  constructor(private readonly actionIdScope: 'block' | 'message') {}

  add(pointer: string, message: string): void {
    this.violations.push({ pointer, message });
  }

  schema(pointer: string): void {
    this.add(pointer, 'failed to match all allowed schemas');
  }

  /** A string field with a maximum length; `required` reports a missing value. */
  string(value: unknown, pointer: string, max: number, required = false): void {
    if (value === undefined) {
      if (required) this.schema(pointer);
      return;
    }
    if (typeof value !== 'string') {
      this.schema(pointer);
      return;
    }
    if (value.length > max) this.add(pointer, `must be less than ${max + 1} characters`);
  }

  /** An array with a maximum number of items; returns the items when the value is an array. */
  array(value: unknown, pointer: string, max: number, required = false): unknown[] | undefined {
    if (value === undefined) {
      if (required) this.schema(pointer);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.schema(pointer);
      return undefined;
    }
    if (value.length > max) this.add(pointer, `no more than ${max} items allowed`);
    return value;
  }

  /** A text composition object (`plain_text` / `mrkdwn`) whose `text` has a maximum length. */
  textObject(
    value: unknown,
    pointer: string,
    max: number,
    opts: { required?: boolean; plainOnly?: boolean; min?: number } = {},
  ): void {
    if (value === undefined) {
      if (opts.required) this.schema(pointer);
      return;
    }
    if (!isObj(value) || typeof value.text !== 'string') {
      this.schema(pointer);
      return;
    }
    const allowed = opts.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
      this.schema(pointer);
      return;
    }
    if (value.text.length > max) this.add(`${pointer}/text`, `must be less than ${max + 1} characters`);
    // Wording not observed in Slack responses (fake-specific).
    if (opts.min !== undefined && value.text.length < opts.min) {
      this.add(`${pointer}/text`, `must be at least ${opts.min} characters`);
    }
  }

  blockId(block: Obj, pointer: string): void {
    const id = block.block_id;
    if (id === undefined) return;
    this.string(id, `${pointer}/block_id`, BLOCK_KIT_LIMITS.blockId);
    if (typeof id !== 'string') return;
    // Wording not observed in Slack responses (fake-specific).
    if (this.blockIds.has(id)) this.add(`${pointer}/block_id`, `duplicate block_id "${id}"`);
    this.blockIds.add(id);
  }

  startBlock(): void {
    this.blockActionIds = new Set();
  }

  actionId(element: Obj, pointer: string): void {
    const id = element.action_id;
    if (id === undefined) return;
    this.string(id, `${pointer}/action_id`, BLOCK_KIT_LIMITS.actionId);
    if (typeof id !== 'string') return;
    const seen = this.actionIdScope === 'message' ? this.messageActionIds : this.blockActionIds;
    // Wording not observed in Slack responses (fake-specific).
    if (seen.has(id)) this.add(`${pointer}/action_id`, `duplicate action_id "${id}"`);
    this.blockActionIds.add(id);
    this.messageActionIds.add(id);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Elements (interactive components and images inside blocks)

type ElementValidator = (c: Checker, el: Obj, ptr: string) => void;

function options(max: number): ElementValidator {
  return (c, el, ptr) => {
    const opts = c.array(el.options, `${ptr}/options`, max);
    opts?.forEach((opt, i) => {
      const p = `${ptr}/options/${i}`;
      if (!isObj(opt)) return c.schema(p);
      c.textObject(opt.text, `${p}/text`, BLOCK_KIT_LIMITS.option.text, { required: true });
      c.string(opt.value, `${p}/value`, BLOCK_KIT_LIMITS.option.value);
    });
  };
}

const L = BLOCK_KIT_LIMITS;

const ELEMENT_VALIDATORS: Record<string, ElementValidator> = {
  button: (c, el, ptr) => {
    c.textObject(el.text, `${ptr}/text`, L.button.text, { required: true, plainOnly: true });
    c.string(el.value, `${ptr}/value`, L.button.value);
    c.string(el.url, `${ptr}/url`, L.button.url);
    c.string(el.accessibility_label, `${ptr}/accessibility_label`, L.button.accessibilityLabel);
  },
  workflow_button: (c, el, ptr) => {
    c.textObject(el.text, `${ptr}/text`, L.button.text, { required: true, plainOnly: true });
  },
  image: (c, el, ptr) => {
    c.string(el.alt_text, `${ptr}/alt_text`, L.image.altText, true);
    c.string(el.image_url, `${ptr}/image_url`, L.image.imageUrl);
  },
  static_select: (c, el, ptr) => {
    options(L.staticSelect.options)(c, el, ptr);
    c.array(el.option_groups, `${ptr}/option_groups`, L.staticSelect.optionGroups);
  },
  multi_static_select: (c, el, ptr) => {
    options(L.staticSelect.options)(c, el, ptr);
    c.array(el.option_groups, `${ptr}/option_groups`, L.staticSelect.optionGroups);
  },
  overflow: options(L.overflow.options),
  checkboxes: options(L.checkboxes.options),
  radio_buttons: options(L.radioButtons.options),
};

/** Element types Slack accepts inside blocks; any other `type` fails the schema. */
const KNOWN_ELEMENT_TYPES = new Set([
  'button',
  'channels_select',
  'checkboxes',
  'conversations_select',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'external_select',
  'feedback_buttons',
  'file_input',
  'icon_button',
  'image',
  'multi_channels_select',
  'multi_conversations_select',
  'multi_external_select',
  'multi_static_select',
  'multi_users_select',
  'number_input',
  'overflow',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'static_select',
  'timepicker',
  'url_text_input',
  'users_select',
  'workflow_button',
]);

function checkElement(c: Checker, el: unknown, ptr: string): void {
  if (!isObj(el) || typeof el.type !== 'string' || !KNOWN_ELEMENT_TYPES.has(el.type)) return c.schema(ptr);
  c.actionId(el, ptr);
  ELEMENT_VALIDATORS[el.type]?.(c, el, ptr);
}

// ---------------------------------------------------------------------------------------------------------
// Blocks

type BlockValidator = (c: Checker, block: Obj, ptr: string, surface: Surface) => void;

const BLOCK_VALIDATORS: Record<KnownBlockType, BlockValidator | null> = {
  section: (c, b, ptr) => {
    if (b.text === undefined && b.fields === undefined && b.expand === undefined) return c.schema(ptr);
    c.textObject(b.text, `${ptr}/text`, L.section.text, { min: L.section.textMin });
    const fields = c.array(b.fields, `${ptr}/fields`, L.section.fields);
    fields?.forEach((f, i) => c.textObject(f, `${ptr}/fields/${i}`, L.section.fieldText, { required: true }));
    if (b.accessory !== undefined) checkElement(c, b.accessory, `${ptr}/accessory`);
  },
  header: (c, b, ptr) => {
    c.textObject(b.text, `${ptr}/text`, L.header.text, { required: true, plainOnly: true });
  },
  actions: (c, b, ptr) => {
    const els = c.array(b.elements, `${ptr}/elements`, L.actions.elements, true);
    els?.forEach((el, i) => checkElement(c, el, `${ptr}/elements/${i}`));
  },
  context: (c, b, ptr) => {
    const els = c.array(b.elements, `${ptr}/elements`, L.context.elements, true);
    els?.forEach((el, i) => {
      const p = `${ptr}/elements/${i}`;
      if (isObj(el) && el.type === 'image') return checkElement(c, el, p);
      c.textObject(el, p, L.section.text, { required: true });
    });
  },
  context_actions: (c, b, ptr) => {
    const els = c.array(b.elements, `${ptr}/elements`, L.contextActions.elements, true);
    els?.forEach((el, i) => checkElement(c, el, `${ptr}/elements/${i}`));
  },
  markdown: (c, b, ptr) => {
    c.string(b.text, `${ptr}/text`, L.markdown.text, true);
  },
  image: (c, b, ptr) => {
    c.string(b.alt_text, `${ptr}/alt_text`, L.image.altText, true);
    c.string(b.image_url, `${ptr}/image_url`, L.image.imageUrl);
    c.textObject(b.title, `${ptr}/title`, L.image.title, { plainOnly: true });
  },
  input: (c, b, ptr) => {
    c.textObject(b.label, `${ptr}/label`, L.input.label, { required: true, plainOnly: true });
    c.textObject(b.hint, `${ptr}/hint`, L.input.hint, { plainOnly: true });
    if (b.element === undefined) return c.schema(`${ptr}/element`);
    checkElement(c, b.element, `${ptr}/element`);
  },
  container: (c, b, ptr, surface) => {
    const blocks = c.array(b.blocks, `${ptr}/blocks`, L.container.blocks, true);
    blocks?.forEach((child, i) => checkBlock(c, child, `${ptr}/blocks/${i}`, surface));
  },
  carousel: (c, b, ptr) => {
    c.array(b.elements, `${ptr}/elements`, L.carousel.cards, true);
  },
  divider: null,
  file: null,
  rich_text: null,
  video: null,
  table: null,
  data_table: null,
  alert: null,
  card: null,
  plan: null,
  task_card: null,
};

function checkBlock(c: Checker, block: unknown, ptr: string, surface: Surface): void {
  if (!isObj(block) || typeof block.type !== 'string') return c.schema(ptr);
  if (!isKnownBlockType(block.type)) {
    c.schema(ptr);
    // Wording not observed in Slack responses (fake-specific).
    c.add(`${ptr}/type`, `unsupported block type "${block.type}"`);
    return;
  }
  c.startBlock();
  c.blockId(block, ptr);
  BLOCK_VALIDATORS[block.type]?.(c, block, ptr, surface);
}

/** Validates a `blocks` array for the given surface and returns every violation found (empty = valid). */
export function validateBlocks(blocks: readonly unknown[], options: BlockKitOptions): Violation[] {
  const base = options.pointer ?? (options.surface === 'modal' ? '/view/blocks' : '/blocks');
  const c = new Checker(options.actionIdScope ?? 'block');
  c.array(blocks, base, L.blocksPerSurface[options.surface]);
  blocks.forEach((block, i) => checkBlock(c, block, `${base}/${i}`, options.surface));
  return c.violations;
}

/**
 * Validates the modal-level fields of a `views.open` payload (title/submit/close lengths, metadata sizes,
 * `submit` required with input blocks) and its blocks.
 */
export function validateModalView(view: Record<string, unknown>, options: Omit<BlockKitOptions, 'surface'> = {}): Violation[] {
  const c = new Checker(options.actionIdScope ?? 'block');
  if (view.type !== 'modal') c.schema('/view/type');
  c.textObject(view.title, '/view/title', L.modal.title, { required: true, plainOnly: true });
  c.textObject(view.submit, '/view/submit', L.modal.submit, { plainOnly: true });
  c.textObject(view.close, '/view/close', L.modal.close, { plainOnly: true });
  c.string(view.private_metadata, '/view/private_metadata', L.modal.privateMetadata);
  c.string(view.callback_id, '/view/callback_id', L.modal.callbackId);
  c.string(view.external_id, '/view/external_id', L.modal.externalId);
  const blocks = view.blocks;
  if (!Array.isArray(blocks)) {
    c.schema('/view/blocks');
    return c.violations;
  }
  const hasInput = blocks.some((b) => isObj(b) && b.type === 'input');
  // @slack/types: "`submit` is required when an input block is within the `blocks` array".
  if (hasInput && view.submit === undefined) c.schema('/view/submit');
  return [...c.violations, ...validateBlocks(blocks, { ...options, surface: 'modal', pointer: '/view/blocks' })];
}
