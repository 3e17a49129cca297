/**
 * What `widget/src` gets for `import … from 'livekit-client'` in the browser tier's bundle:
 * livekit-client itself, but with {@link StandInRoom} as its `Room`. A local export wins over the
 * same name from `export *`.
 */
export * from 'livekit-client';
export { StandInRoom as Room } from './stand-in-room.js';
