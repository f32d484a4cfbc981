import type { App, AppDeps } from '../module';

/**
 * GET /api/v1/realtime (WebSocket). Authenticated by the session cookie or `?access_token=<api key>` (browsers
 * cannot set headers on a WebSocket). Messages: {type:'subscribe', topic:'account:<id>'|'team:<id>'|'conversation:<id>'}.
 */
export function registerRealtimeRoute(app: App, deps: AppDeps): void {
  app.get('/realtime', { websocket: true, config: { auth: 'socket' }, schema: { hide: true } }, (socket, req) => {
    if (!req.actor) {
      socket.close(4401, 'unauthenticated');
      return;
    }
    deps.hub.accept(socket, req.actor);
  });
}
