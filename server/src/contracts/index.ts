export * from './persona.js';
export * from './session.js';
export * from './errors.js';
export * from './call.js';
export * from './template.js';
export * from './tools.js';
export * from './business-hours.js';
