import type { Module } from '../../platform/module';
import { registerWebchatRoutes } from './routes';
import { VisitorSockets } from './sockets';

export { registerWidgetPages } from './pages';

/** Web chat: the widget's visitor API and WebSocket (the widget script and demo page: registerWidgetPages). */
export const webchatModule: Module = {
  name: 'webchat',
  register(app, deps) {
    const sockets = new VisitorSockets();
    deps.events.onCommit((events) => sockets.onCommitted(events));
    app.addHook('onClose', async () => sockets.close());
    registerWebchatRoutes(app, deps, sockets);
  },
};
