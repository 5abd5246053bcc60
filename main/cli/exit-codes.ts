/** CLI exit codes, stable for scripts. */
import type { ErrorCode } from '../util/errors';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  engine: 3,
  portInUse: 4,
  image: 5,
  notFound: 6,
  checksFailed: 7,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  if (code.startsWith('engine-')) return EXIT.engine;
  if (code === 'port-in-use') return EXIT.portInUse;
  if (code.startsWith('image-')) return EXIT.image;
  if (code === 'invalid-input') return EXIT.usage;
  if (code === 'not-found') return EXIT.notFound;
  return EXIT.failure;
}
