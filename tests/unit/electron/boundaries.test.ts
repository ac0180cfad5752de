/** Only src-main/electron may import electron; the preload bridge exposes only the transport. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|mts|cts)$/.test(n) ? [p] : [];
  });
const importsElectron = (src: string) => /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron(?:\/[^'"]*)?['"]/.test(src);

describe('electron boundary', () => {
  it('core, contract, host-web, cli and the renderer never import electron', () => {
    const offenders = ['src-main/core', 'src-main/contract', 'src-main/host-web', 'src-main/cli', 'src-renderer']
      .flatMap((d) => {
        try {
          return files(path.join(root, d));
        } catch {
          return [];
        }
      })
      .filter((f) => importsElectron(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('the preload exposes exactly one global with the RawTransport shape', () => {
    const src = readFileSync(path.join(root, 'src-main/electron/preload.ts'), 'utf8');
    const exposed = [...src.matchAll(/exposeInMainWorld\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(exposed).toEqual(['pawline']);
    expect(src).toMatch(/const transport: RawTransport = \{/);
  });
});
