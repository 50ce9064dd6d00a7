/**
 * Where the evaluation commands write: stdout for results, stderr for errors, warnings and bars.
 * One indirection so tests can run commands in their own process and read what they print
 * (node:test reports through the process's stdout, which a test must not take over).
 */
export const io = {
  out: (text: string): void => void process.stdout.write(text),
  err: (text: string): void => void process.stderr.write(text),
};
