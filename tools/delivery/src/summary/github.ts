import { appendFile } from 'node:fs/promises';

/**
 * Markdown for the job summary (GITHUB_STEP_SUMMARY) in CI; printed to the terminal by hand, where
 * the same report is just as useful.
 */
export async function writeSummary(markdown: string): Promise<void> {
  const file = process.env['GITHUB_STEP_SUMMARY'];
  if (file) await appendFile(file, `${markdown}\n`);
  else process.stdout.write(`${markdown}\n`);
}

/** Step outputs (GITHUB_OUTPUT) for later steps and jobs; printed as key=value by hand. */
export async function writeOutputs(outputs: Readonly<Record<string, string>>): Promise<void> {
  const lines = Object.entries(outputs).map(([key, value]) => {
    if (/[\r\n]/.test(value)) throw new Error(`output ${key} must be one line`);
    return `${key}=${value}\n`;
  });
  const file = process.env['GITHUB_OUTPUT'];
  if (file) await appendFile(file, lines.join(''));
  else process.stdout.write(lines.join(''));
}
