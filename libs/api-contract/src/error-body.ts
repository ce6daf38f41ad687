// The one error envelope of the API: every 4xx and 5xx answers in this shape, whatever the route.
import * as z from 'zod';

export const fieldIssueSchema = z
  .object({
    /** Where in the request: `instances[2].petal_length`, or `petal_length` for one bare instance. */
    path: z.string(),
    message: z.string(),
  })
  .meta({ description: 'One bad field of the request, by its path in the body.' });

export const errorBodySchema = z
  .object({
    error: z.object({
      status: z.int().min(400).max(599),
      code: z.string().meta({ description: 'Stable and machine-readable: clients branch on this, never on the message.' }),
      message: z.string(),
      issues: z
        .array(fieldIssueSchema)
        .optional()
        .meta({ description: 'For validation errors: each bad field by its path in the request.' }),
      requestId: z.string().optional(),
    }),
  })
  .meta({ description: 'The one error envelope of every route.' });

export type ErrorBody = z.infer<typeof errorBodySchema>;
