/**
 * Where a secret comes from on the command line: standard input or an environment variable.
 * Never argv (shell history, process lists), never echoed.
 */

export interface SecretSource {
  stdin?: boolean;
  fromEnv?: string;
}

/** Reads stdin to its end (a pipe or a file); on a terminal, one line typed without echo. */
export async function readStdinSecret(stdin: NodeJS.ReadStream = process.stdin, prompt: (s: string) => void = (s) => process.stderr.write(s)): Promise<string> {
  if (stdin.isTTY) return readHiddenLine(stdin, prompt);
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  // One trailing newline is how `echo` and here-strings end; the secret itself never has one.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function readHiddenLine(stdin: NodeJS.ReadStream, prompt: (s: string) => void): Promise<string> {
  prompt('Type the secret (not shown), then press Enter: ');
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      prompt('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export async function readSecret(src: SecretSource, env: NodeJS.ProcessEnv, readStdin: () => Promise<string>): Promise<{ value: string } | { error: string }> {
  if (src.stdin && src.fromEnv) return { error: 'Give the secret one way: --stdin or --from-env VAR, not both.' };
  if (src.fromEnv) {
    const v = env[src.fromEnv];
    if (v === undefined || v === '') return { error: `The environment variable ${src.fromEnv} is not set (or empty).` };
    return { value: v };
  }
  if (src.stdin) {
    const v = await readStdin();
    if (!v) return { error: 'Nothing arrived on standard input.' };
    return { value: v };
  }
  return { error: 'A secret is read from standard input (--stdin) or an environment variable (--from-env VAR), never from the command line.' };
}
