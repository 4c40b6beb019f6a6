import { z } from 'zod';

/** A component's id in URLs and the API: its name, lowercased, runs of other characters as one `-`. */
export function componentSlug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'component';
}

const componentSchema = z
  .object({
    name: z.string().trim().min(1, 'a component needs a name').max(80),
    /** The incident `service` label values that affect this component. */
    services: z.array(z.string().min(1)).default([]),
    description: z.string().max(200).optional(),
  })
  .strict();

/** `status_page:` the public status page, served on a listener of its own. Absent: no status page. */
export const statusPageSchema = z
  .object({
    title: z.string().trim().min(1).max(100).default('Status'),
    public_url: z.url({ protocol: /^https?$/, error: 'must be the http(s):// URL people open the page at, e.g. https://status.example.com' }),
    port: z.number().int().min(0).max(65_535).default(3001),
    components: z.array(componentSchema).default([]),
  })
  .strict()
  .superRefine((page, ctx) => {
    const seen = new Map<string, string>();
    page.components.forEach((component, index) => {
      const slug = componentSlug(component.name);
      const earlier = seen.get(slug);
      if (earlier !== undefined) ctx.addIssue({ code: 'custom', path: ['components', index, 'name'], message: `"${component.name}" collides with "${earlier}": component names must differ in more than case and punctuation` });
      else seen.set(slug, component.name);
    });
  })
  .optional();

export type StatusPageConfig = NonNullable<z.infer<typeof statusPageSchema>>;
