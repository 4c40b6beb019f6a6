/** Collects Block Kit violations while walking one payload. */
import { BLOCK_KIT_LIMITS, KNOWN_BLOCK_TYPES, type KnownBlockType, type Violation } from './block-kit-limits.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isKnownBlockType(t: string): t is KnownBlockType {
  return (KNOWN_BLOCK_TYPES as readonly string[]).includes(t);
}

/** Collects violations while walking one payload. */
export class Checker {
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
