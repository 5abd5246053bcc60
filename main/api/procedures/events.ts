/** events.subscribe and app.info. */
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
};
