import type { Module } from '../../platform/module';
import { registerKpiFactListeners } from './listeners';

export { firstResponseFact, statusFact } from './listeners';

/** Analytics: append-only KPI facts derived from domain events (rollups and dashboards come later). */
export const analyticsModule: Module = {
  name: 'analytics',
  register(_app, deps) {
    registerKpiFactListeners(deps);
  },
};
