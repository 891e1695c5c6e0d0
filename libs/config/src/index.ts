// Public API of @app/config: the environment's variables as zod schemas, parsed once per process at start.
// It never reads process.env itself: each process's main hands its environment in.
export * from './variable';
export * from './parse-environment';
export * from './shared-variables';
export * from './config-or-exit';
export * from './logging';
