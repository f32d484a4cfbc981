/**
 * Placeholder for the embeddable widget (chat, help-center search, surveys, touchpoint tracking), which is a
 * later issue. It already defines the public API so host pages can wire their calls today.
 */
export interface TouchpointApi {
  open(): void;
  close(): void;
  identify(traits?: Record<string, unknown>): void;
  track(event?: string, properties?: Record<string, unknown>): void;
}

// eslint-disable-next-line no-console -- the placeholder's whole job is to say it is not there yet
const comingSoon = () => console.log('Touchpoint widget: coming soon');

/**
 * The launcher the real widget will mount. Exported (so the IIFE keeps it and the Preact build path is exercised)
 * but not mounted yet: a placeholder must not add DOM to customers' pages.
 */
export function Launcher() {
  return <div data-touchpoint-widget hidden />;
}

const api: TouchpointApi = { open: comingSoon, close: comingSoon, identify: comingSoon, track: comingSoon };

declare global {
  interface Window {
    Touchpoint?: TouchpointApi;
  }
}

if (typeof window !== 'undefined' && !window.Touchpoint) window.Touchpoint = api;
