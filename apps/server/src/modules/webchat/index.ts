import type { Module } from '../../platform/module';
import { visitorTyping } from './commands/typing';
import { registerWebchatRoutes } from './routes';
import { VisitorSockets } from './sockets';

export { registerWidgetPages } from './pages';

/** Web chat: the widget's visitor API and WebSocket (the widget script and demo page: registerWidgetPages). */
export const webchatModule: Module = {
  name: 'webchat',
  register(app, deps) {
    const sockets = new VisitorSockets(
      (v) => void visitorTyping(deps, v).catch((err) => app.log.warn({ err }, 'visitor typing signal failed')),
    );
    // Through the hub, after its pub/sub hop: a visitor on any node gets what any node committed or signalled.
    deps.hub.observe((accountId, event) => sockets.onWireEvent(accountId, event));
    app.addHook('onClose', async () => sockets.close());
    registerWebchatRoutes(app, deps, sockets);
  },
};
