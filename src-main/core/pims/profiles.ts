/** Layout profiles: the built-in ones and the column mappings a clinic saved under a name. */
import { z } from 'zod';
import type { ColumnMapping, ImportProfileView } from '../../contract';
import { MAPPING_FIELDS } from '../../contract/imports';
import type { Db } from '../db/open';
import { ApiError } from '../shared/errors';
import { BUILTIN_PROFILES, builtinProfile, validateMapping } from './layouts';

const FIELD_KEYS = MAPPING_FIELDS.map((f) => f.key) as [string, ...string[]];

/** The JSON a mapping file (--mapping FILE) or the editor sends. */
export const mappingSchema = z
  .object({
    columns: z.partialRecord(z.enum(FIELD_KEYS), z.string().trim().min(1).max(200)),
    encoding: z.enum(['utf-8', 'utf-8-bom', 'windows-1252', 'utf-16le', 'utf-16be']).optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    headerLine: z.number().int().min(1).max(1000).optional(),
    dateOrder: z.enum(['MDY', 'DMY']).optional(),
    fullExport: z.boolean().optional(),
  })
  .strict();

/** Parses and checks a mapping; field errors keyed like the editor's fields. */
export function parseMapping(input: unknown): ColumnMapping {
  const r = mappingSchema.safeParse(input);
  if (!r.success) {
    const fields: Record<string, string> = {};
    for (const issue of r.error.issues) fields[issue.path.join('.') || 'mapping'] = issue.message;
    throw new ApiError('validation', 'The column mapping is not valid: ' + Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; '), fields);
  }
  const m = r.data as ColumnMapping;
  const errors = validateMapping(m);
  if (Object.keys(errors).length) throw new ApiError('validation', `The column mapping is incomplete: ${Object.values(errors)[0]}`, errors);
  return m;
}

export function listProfiles(db: Db): ImportProfileView[] {
  const saved = db.prepare<[], { name: string; definition: string; updated_at: string }>('SELECT name, definition, updated_at FROM import_profiles ORDER BY name COLLATE NOCASE').all();
  return [
    ...BUILTIN_PROFILES.map((p) => ({ name: p.name, label: p.label, builtIn: true, description: p.description })),
    ...saved.map((s) => ({
      name: s.name,
      label: s.name,
      builtIn: false,
      description: 'Column mapping saved by the clinic.',
      mapping: JSON.parse(s.definition) as ColumnMapping,
      updatedAt: s.updated_at,
    })),
  ];
}

export function savedMapping(db: Db, name: string): ColumnMapping | null {
  const row = db.prepare<[string], { definition: string }>('SELECT definition FROM import_profiles WHERE name = ?').get(name);
  return row ? (JSON.parse(row.definition) as ColumnMapping) : null;
}

export function saveProfile(db: Db, name: string, mapping: unknown, now: string): void {
  const n = (name ?? '').trim();
  if (!n || n.length > 60) throw new ApiError('validation', 'Give the mapping a name (up to 60 characters).', { name: 'Required, up to 60 characters.' });
  if (builtinProfile(n) || n.toLowerCase() === 'mapping') throw new ApiError('validation', `"${n}" is the name of a built-in layout; choose another name.`, { name: 'Reserved name.' });
  const m = parseMapping(mapping);
  db.prepare('INSERT INTO import_profiles (name, definition, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at').run(n, JSON.stringify(m), now);
}

export function deleteProfile(db: Db, name: string): void {
  db.prepare('DELETE FROM import_profiles WHERE name = ?').run(name);
}
