import { AVIMARK } from './avimark';
import { CLIENT_LIST } from './mapping';
import { OPENVPMS } from './openvpms';
import { PULSE } from './pulse';
import type { LayoutDef, ProfileDef } from './types';

export type { LayoutDef, ProfileDef, Emitter, RowMapper, BindContext } from './types';
export { mappingLayout, suggestMapping, validateMapping } from './mapping';

/** Built-in profiles, tried in this order when detecting a file's layout. */
export const BUILTIN_PROFILES: readonly ProfileDef[] = [PULSE, OPENVPMS, AVIMARK, CLIENT_LIST];

export function builtinProfile(name: string): ProfileDef | undefined {
  return BUILTIN_PROFILES.find((p) => p.name === name.toLowerCase());
}

/** Every column name the built-in layouts know: helps find the header row under report titles. */
export const ALL_HEADER_HINTS: readonly string[] = [...new Set(BUILTIN_PROFILES.flatMap((p) => p.layouts.flatMap((l) => l.headerHints)))];

/** The layout whose headers fit best, among the given profiles' layouts; null when none fits. */
export function detectLayout(headers: readonly string[], fileName: string, profiles: readonly ProfileDef[] = BUILTIN_PROFILES): LayoutDef | null {
  let best: LayoutDef | null = null;
  let bestScore = 0;
  for (const p of profiles) {
    for (const l of p.layouts) {
      const s = l.match(headers, fileName);
      if (s > bestScore) {
        best = l;
        bestScore = s;
      }
    }
  }
  return best;
}
