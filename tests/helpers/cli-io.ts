import type { CliIo } from '../../src-main/cli/registry';

/** A CLI's input and output captured as strings, with an empty environment and no stdin. */
export function captureIo(): CliIo & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(t: string) {
      o.stdout += t;
    },
    err(t: string) {
      o.stderr += t;
    },
    env: {} as NodeJS.ProcessEnv,
    readStdin: async () => '',
  };
  return o;
}
