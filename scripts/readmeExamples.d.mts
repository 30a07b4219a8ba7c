/** Types of readmeExamples.mjs (the script runs with plain node). */
export const CHECKED_READMES: string[];
export function checkReadme(root: string, readme: string): string[];
export function syncReadme(root: string, readme: string): void;
export function codeBlocks(markdown: string): {
  line: number;
  start: number;
  end: number;
  text: string;
  example: string | undefined;
  signature: boolean;
}[];
