// Vitest runs outside React's server environment; the "server-only" marker has nothing to guard here.
export {};
