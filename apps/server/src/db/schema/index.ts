export * from './accounts';
export * from './channels';
export * from './customers';
export * from './conversations';
export * from './platform';
export * from './automation';
export * from './sla';
export * from './routing';
