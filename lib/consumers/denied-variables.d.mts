export declare const DENIED_NAMES: readonly string[];
export declare const DENIED_PREFIXES: readonly string[];
export declare const DENIED_SUFFIXES: readonly string[];
export declare function deniedVariableReason(name: string): string | null;
