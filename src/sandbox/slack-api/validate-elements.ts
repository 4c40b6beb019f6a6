/** Block Kit element checks (buttons, selects, …). */
import { BLOCK_KIT_LIMITS } from './block-kit-limits.js';
import { isObj, type Checker, type Obj } from './block-kit-checker.js';

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

export function checkElement(c: Checker, el: unknown, ptr: string): void {
  if (!isObj(el) || typeof el.type !== 'string' || !KNOWN_ELEMENT_TYPES.has(el.type)) return c.schema(ptr);
  c.actionId(el, ptr);
  ELEMENT_VALIDATORS[el.type]?.(c, el, ptr);
}
