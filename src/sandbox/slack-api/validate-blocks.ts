/** Block Kit validation against BLOCK_KIT_LIMITS, reporting every violation as Slack does. */
import { BLOCK_KIT_LIMITS, type BlockKitOptions, type KnownBlockType, type Surface, type Violation } from './block-kit-limits.js';
import { Checker, isKnownBlockType, isObj, type Obj } from './block-kit-checker.js';
import { checkElement } from './validate-elements.js';

const L = BLOCK_KIT_LIMITS;

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
