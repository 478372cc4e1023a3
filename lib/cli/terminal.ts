// Asking the person at the terminal (only called when stdin is one).
import { createInterface } from 'node:readline/promises';

/** Asks a yes/no question; anything but y/yes is no. */
export async function confirm(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await readline.question(question)).trim());
  } finally {
    readline.close();
  }
}
