import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useMe } from '../../session';
import type { Viewer } from './filters';

/** Channels and teams are small and change rarely: one cached list each, shared by rows, filters and menus. */
export interface ChannelSummary {
  id: string;
  kind: string;
  name: string;
  enabled?: boolean;
}
export interface TeamSummary {
  id: string;
  name: string;
  memberIds: string[];
}

export function useChannels() {
  const { data } = useQuery({
    queryKey: ['channels'],
    queryFn: () => api.get<Page<ChannelSummary>>('/channels', { limit: 100 }),
    staleTime: 5 * 60_000,
  });
  return useMemo(() => {
    const list = data?.data ?? [];
    return { list, byId: new Map(list.map((c) => [c.id, c])) };
  }, [data]);
}

export function useTeams() {
  const { data } = useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<Page<TeamSummary>>('/teams', { limit: 100 }),
    staleTime: 5 * 60_000,
  });
  return useMemo(() => {
    const list = data?.data ?? [];
    return { list, byId: new Map(list.map((t) => [t.id, t])) };
  }, [data]);
}

export const CHANNEL_KIND_LABELS: Record<string, string> = {
  web: 'Web chat',
  email: 'Email',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
  telegram: 'Telegram',
  voice: 'Voice',
  api: 'API',
  other: 'Other',
};

export const channelKindLabel = (kind: string | undefined) =>
  kind ? (CHANNEL_KIND_LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1)) : 'Channel';

/** The signed-in agent and their teams, for deciding client-side whether a row belongs in "Mine" / "My teams". */
export function useViewer(): Viewer {
  const me = useMe();
  const teams = useTeams();
  return useMemo(
    () => ({ meId: me.user.id, myTeamIds: new Set(teams.list.filter((t) => t.memberIds.includes(me.user.id)).map((t) => t.id)) }),
    [me.user.id, teams.list],
  );
}
