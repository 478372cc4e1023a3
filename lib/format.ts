// What fastpy generates is already formatted, as Prettier formats it in the project: `npm run lint`
// (ESLint, then `prettier --check`) passes on a new project and after every generator. A new project
// gets PRETTIER_OPTIONS as its .prettierrc.json; in an existing project the generators format as the
// project's own Prettier settings say, whatever the owner made of them. Prettier is loaded only when
// a run has something to format.
import type { Options } from 'prettier';

/** The Prettier settings of a new project (its .prettierrc.json); files Prettier formats as these say. */
export const PRETTIER_OPTIONS = { printWidth: 120, singleQuote: true } as const;

/**
 * `text` formatted as the file at `path` (its parser chosen by the name, its settings `options`, or
 * when left out the ones Prettier finds for that path, .editorconfig included). Text Prettier has no
 * parser for is returned as it is; text that does not parse is an error (see formatProblem).
 *
 * @example
 * await formatText('/app/src/a.ts', 'const a = "x"', PRETTIER_OPTIONS) // "const a = 'x';\n"
 */
export async function formatText(path: string, text: string, options?: Options): Promise<string> {
  const prettier = await import('prettier');
  const { inferredParser } = await prettier.getFileInfo(path);
  if (!inferredParser) return text;
  const settings =
    options ?? (await prettier.resolveConfig(path, { editorconfig: true, useCache: false })) ?? PRETTIER_OPTIONS;
  return prettier.format(text, { ...settings, filepath: path });
}

/** Why Prettier could not format a file, as one line for an error message. */
export function formatProblem(error: unknown): string {
  return (error as Error).message.split('\n')[0]!;
}
