// Pure domain functions (no I/O), unit-tested with worked examples.
export * from './identity';
export * from './conversation';
export * from './business-time';
export * from './templates';
export * from './routing';
export * from './delivery-status';
