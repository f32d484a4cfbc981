import { HashIcon, MailIcon, MessageIcon, PhoneIcon } from '../../components/icons';
import { channelKindLabel, useChannels } from './reference-data';

const ICONS: Record<string, typeof MailIcon> = { email: MailIcon, voice: PhoneIcon, web: MessageIcon };

/** The channel a conversation (or message) came through: an icon and the channel's kind, named in the tooltip. */
export function ChannelBadge({ channelId, showName = false }: { channelId: string; showName?: boolean }) {
  const channel = useChannels().byId.get(channelId);
  if (!channel) return null;
  const Icon = ICONS[channel.kind] ?? HashIcon;
  const label = channelKindLabel(channel.kind);
  return (
    <span className="badge channel-badge" title={`${label}: ${channel.name}`} data-channel-kind={channel.kind}>
      <Icon size={12} /> {showName ? channel.name : label}
    </span>
  );
}
