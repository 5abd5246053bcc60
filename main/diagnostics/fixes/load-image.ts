/** `load-image` (needs `file`): load images from a `docker save` tarball. */
import { GuildhallError } from '../../util/errors';
import type { Fix } from './fix';

export const loadImage: Fix = {
  id: 'load-image',
  async run({ core, options, onProgress }) {
    if (!options.file) {
      throw new GuildhallError(
        'invalid-input',
        'Loading an image needs a file.',
        'Choose a tarball made by `docker save` (CLI: guildhall image load FILE).',
      );
    }
    const loaded = await (await core.images()).load(options.file, onProgress);
    return `Loaded ${loaded.join(', ') || 'nothing'}.`;
  },
};
