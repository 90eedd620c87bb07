import { z } from "zod";

const source = z.string().min(1, { error: "every row cites its source" });

export const phoneRowSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "id: lower-case letters, digits and '-'" }),
    brand: z.string().min(1),
    model: z.string().min(1),
    printed_as: z.string().min(1),
    category: z.enum(["desk", "dect", "video", "softclient", "ata"]),
    supported_by_provider: z.boolean(),
    supported_by_maker: z.boolean(),
    autoprovisioning: z.boolean(),
    firmware: z.string().min(1).nullable(),
    family: z.string().nullable(),
    family_options: z.record(z.string(), z.unknown()).default({}),
    source,
  })
  .strict();

export const phonesFileSchema = z
  .object({ schema_version: z.literal(1), phones: z.array(phoneRowSchema).min(1) })
  .strict();

export const lineRowSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    technology: z.string().min(1),
    subscription: z.string().min(1),
    down_kbps: z.int().positive(),
    up_kbps: z.int().positive(),
    max_concurrent_calls: z.int().positive(),
    use: z.enum(["voice_only", "voice_and_internet"]),
    speed_is_maximum: z.boolean(),
    source,
  })
  .strict();

export const linesFileSchema = z
  .object({ schema_version: z.literal(1), lines: z.array(lineRowSchema).min(1) })
  .strict();

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: "time must be HH:MM" });
const day = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
const window = z
  .object({ days: z.array(day).min(1), start: clock, end: clock, time_zone: z.string().min(1), source })
  .strict();

export const slaFileSchema = z
  .object({
    schema_version: z.literal(1),
    tiers: z
      .array(
        z
          .object({
            key: z.enum(["premium", "standard", "entry"]),
            name: z.string().min(1),
            availability_percent: z.number().gt(0).lte(100),
            restore_hours: z.number().positive().nullable(),
            restore_hours_kind: z.enum(["clock", "office", "best_effort"]),
            source,
          })
          .strict(),
      )
      .length(3),
    maintenance_window: window,
    office_hours: window,
    notes: z.array(z.string()).default([]),
  })
  .strict();

export type PhoneRow = z.output<typeof phoneRowSchema>;
export type LineRow = z.output<typeof lineRowSchema>;
export type SlaFile = z.output<typeof slaFileSchema>;
export type SlaTier = SlaFile["tiers"][number];
