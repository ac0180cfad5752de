/**
 * The SMTP double in its own process, so the benchmark's sending side does not share a CPU with the
 * parser on the receiving side. Prints "port <n>" and answers "count" on stdin with "count <n>".
 */
import { startSmtpServer } from '../doubles/smtp';

const smtp = await startSmtpServer();
process.stdout.write(`port ${smtp.port}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  for (const line of chunk.split('\n')) {
    if (line.trim() === 'count') process.stdout.write(`count ${smtp.stats.accepted}\n`);
    if (line.trim() === 'reset') {
      smtp.reset();
      process.stdout.write('reset\n');
    }
  }
});
process.stdin.on('end', () => void smtp.close().then(() => process.exit(0)));
