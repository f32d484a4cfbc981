import type { ConversationSlaView } from './api';
import { SlaTimers } from './sla-timers';
import { Viewers, type Viewer } from './viewers';
import './strip.css';

/**
 * The slim row under the conversation header: the SLA countdowns and who else is here. Hidden (by CSS) when it has
 * neither, so a conversation without a policy or company looks as before.
 */
export function ConversationStrip({ sla, resolved, viewers }: { sla: ConversationSlaView | null; resolved: boolean; viewers: Viewer[] }) {
  return (
    <div className="conversation-strip">
      <SlaTimers sla={sla} resolved={resolved} />
      <Viewers viewers={viewers} />
    </div>
  );
}
