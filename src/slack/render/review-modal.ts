import { createHash } from 'node:crypto';
import type { View } from '@slack/types';
import { z } from 'zod';
import { HUMAN_SECTIONS } from '../../review/human-sections.js';
import { escapeMrkdwn } from './mrkdwn.js';

export const REVIEW_MODAL = 'review-edit-modal';

/** plain_text_input's max_length, and so the longest section the modal can hold. */
export const SECTION_MAX = 3_000;

/** A short fingerprint of a section's text as the modal showed it. */
export function sectionHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/**
 * What the modal carries back on submission: the incident, and what each box showed when it
 * opened, so that only the boxes this person changed are saved (someone else may have saved
 * another section meanwhile).
 */
export const reviewModalMetadata = z.object({ incidentId: z.uuid(), shown: z.record(z.string(), z.string().max(32)) });
export type ReviewModalMetadata = z.infer<typeof reviewModalMetadata>;

/** The Edit review modal: one text box per people-written section, filled with what it holds now. */
export function reviewModal(incidentId: string, reference: string, title: string, shown: Record<string, string>): View {
  const metadata: ReviewModalMetadata = { incidentId, shown: Object.fromEntries(Object.entries(shown).map(([key, text]) => [key, sectionHash(text)])) };
  return {
    type: 'modal',
    callback_id: REVIEW_MODAL,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Edit review' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${reference}* ${escapeMrkdwn(title.slice(0, 200))}\nMarkdown. The figures and the timeline are the bot's: it drafts them again, keeping what you write here.` } },
      ...HUMAN_SECTIONS.map((section) => ({
        type: 'input' as const,
        block_id: section.key,
        optional: true,
        label: { type: 'plain_text' as const, text: section.title },
        element: {
          type: 'plain_text_input' as const,
          action_id: 'text',
          multiline: true,
          max_length: SECTION_MAX,
          placeholder: { type: 'plain_text' as const, text: section.hint },
          ...(shown[section.key] ? { initial_value: shown[section.key] } : {}),
        },
      })),
    ],
  };
}
