export const CLIENT_COMMANDS: string[];
export function runClient(argv: string[]): void;
export function main(argv: string[]): Promise<number>;
export function parseDotenv(text: string): { line: number; name: string | null; value: string | null; problem: string | null }[];
export function dotenvQuote(value: string): string;
