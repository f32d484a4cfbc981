import type { Module } from '../../platform/module';
import { visitorTyping } from './commands/typing';
import { visitorSocketObserver } from './connections';
import type { VisitorRow } from './queries';
import { registerWebchatRoutes } from './routes';
import { visitorTopics } from './sockets';

export { registerWidgetPages } from './pages';
export { REPLY_BY_EMAIL_TAG } from './commands/send-offline-message';
export { offlinePromise, WIDGET_OFFLINE_MINUTES, type OfflinePromise, type WebConversation } from './offline-promise';

/** Web chat: the widget's visitor API and WebSocket (the widget script and demo page: registerWidgetPages). */
export const webchatModule: Module = {
  name: 'webchat',
  register(app, deps) {
    // Visitors' sockets are the hub's too (one heartbeat, one fan-out); their topics are named after the pub/sub hop,
    // so a visitor on any node gets what any node committed or signalled.
    deps.hub.routeWire(visitorTopics);
    // Whether a visitor's widget is connected, answerable on any node (the offline email fallback asks).
    deps.hub.observeSockets(visitorSocketObserver(deps, app.log));
    const onTyping = (v: VisitorRow) => void visitorTyping(deps, v).catch((err) => app.log.warn({ err }, 'visitor typing signal failed'));
    registerWebchatRoutes(app, deps, onTyping);
  },
};
