/** events.subscribe, app.info and app.rotateConsoleToken. */
import { GuildhallError } from '../../util/errors';
import { os } from './base';

export const eventsProcedures = {
  subscribe: os.events.subscribe.handler(({ input, context, signal }) =>
    context.services.hub.subscribe({ topics: input?.topics, signal }),
  ),
};

export const appProcedures = {
  info: os.app.info.handler(({ context }) => ({
    version: context.services.core.version,
    transport: context.transport,
  })),
  rotateConsoleToken: os.app.rotateConsoleToken.handler(({ context }) => {
    const rotate = context.services.rotateConsoleToken;
    if (!rotate) {
      throw new GuildhallError(
        'invalid-input',
        'Only the browser console has an access token to rotate.',
        'Rotate it from the browser console, or restart `guildhall console` for a new one.',
      );
    }
    return { url: rotate() };
  }),
};
