import type { Module } from '../../platform/module';
import { registerVoiceListeners } from './listeners';
import { registerVoiceRoutes } from './routes';

export { presentCall, type CallRow } from './presenters';

/** Voice: call records from a telephony provider's signed events webhook, attached to the customer's history. */
export const voiceModule: Module = {
  name: 'voice',
  register(app, deps) {
    registerVoiceRoutes(app, deps);
    registerVoiceListeners(deps);
  },
};
