import { useCallback, useMemo, useSyncExternalStore } from 'react';

/**
 * The signed-in person's notification choices, kept in this browser (localStorage `tp.notify`): a sound and/or
 * a desktop notification on a new assignment. Both are opt-in. `desktop` is what they chose; the browser must
 * also grant permission, which `notifyDesktop` checks, so a choice survives a permission revoked and restored.
 * Every component using the hook (and every tab) sees a change at once.
 */
export interface NotifyPrefs {
  sound: boolean;
  desktop: boolean;
}

const KEY = 'tp.notify';
const OFF: NotifyPrefs = { sound: false, desktop: false };
const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cached: NotifyPrefs = OFF;

function read(): NotifyPrefs {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    raw = null; // storage blocked (private mode, policy): everything stays off
  }
  if (raw === cachedRaw) return cached;
  cachedRaw = raw;
  try {
    const v = raw ? (JSON.parse(raw) as Partial<NotifyPrefs>) : {};
    cached = { sound: v.sound === true, desktop: v.desktop === true };
  } catch {
    cached = OFF;
  }
  return cached;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === KEY && listener();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Reads the preferences outside React (e.g. in a realtime handler). */
export const readNotifyPrefs = read;

export function writeNotifyPrefs(patch: Partial<NotifyPrefs>): void {
  const next = { ...read(), ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Not persisted; still applied for this page.
    cachedRaw = JSON.stringify(next);
    cached = next;
  }
  for (const l of listeners) l();
}

export function useNotifyPrefs(): NotifyPrefs & { set: (patch: Partial<NotifyPrefs>) => void } {
  const prefs = useSyncExternalStore(subscribe, read, () => OFF);
  const set = useCallback((patch: Partial<NotifyPrefs>) => writeNotifyPrefs(patch), []);
  return useMemo(() => ({ ...prefs, set }), [prefs, set]);
}

/** 'unsupported' when this browser has no Notification API (e.g. iOS Safari outside a home-screen app). */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Shows a desktop notification when the person opted in and the browser allows it; returns whether it did. */
export function notifyDesktop(title: string, options?: NotificationOptions): Notification | null {
  if (!read().desktop || notificationPermission() !== 'granted') return null;
  try {
    return new Notification(title, options);
  } catch {
    return null; // some browsers only allow notifications from a service worker
  }
}

let audio: AudioContext | null = null;

/** A short two-note chime (no audio file to load); silent unless the person turned sound on, or `force`. */
export function playChime(force = false): void {
  if (!force && !read().sound) return;
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    void ctx.resume();
    const start = ctx.currentTime + 0.01;
    [880, 1320].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t = start + i * 0.12;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.3);
    });
  } catch {
    // No audio output available.
  }
}
