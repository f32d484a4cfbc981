import type { Module } from '../../platform/module';
import { visitorTyping } from './commands/typing';
import type { VisitorRow } from './queries';
import { registerWebchatRoutes } from './routes';
import { visitorTopics } from './sockets';

export { registerWidgetPages } from './pages';

/** Web chat: the widget's visitor API and WebSocket (the widget script and demo page: registerWidgetPages). */
export const webchatModule: Module = {
  name: 'webchat',
  register(app, deps) {
    // Visitors' sockets are the hub's too (one heartbeat, one fan-out); their topics are named after the pub/sub hop,
    // so a visitor on any node gets what any node committed or signalled.
    deps.hub.routeWire(visitorTopics);
    const onTyping = (v: VisitorRow) => void visitorTyping(deps, v).catch((err) => app.log.warn({ err }, 'visitor typing signal failed'));
    registerWebchatRoutes(app, deps, onTyping);
  },
};
