import { Fragment, useEffect, useRef, type ReactNode } from 'react';
import type { User } from '../../../api/types';
import { Avatar } from '../../../components/ui';
import { defineMessages } from '../../../i18n';
import './mentions.css';

const t = defineMessages('conversation.mentions', {
  teammates: 'Teammates',
  none: 'No teammate matches “{q}”',
  hint: '↑↓ to choose · Enter to mention · Esc to close',
});

/** The `@query` being typed at the caret (after the start or a space, one line, at most 40 characters), or null. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || (at > 0 && !/\s/.test(before[at - 1]!))) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@]/.test(query) || /\s\s/.test(query) || /^\s/.test(query)) return null;
  return { start: at, query };
}

export function matchTeammates(users: User[], query: string, meId: string): User[] {
  const q = query.trim().toLowerCase();
  const others = users.filter((u) => u.id !== meId);
  if (!q) return others.slice(0, 8);
  const words = (u: User) => [u.name.toLowerCase(), ...u.name.toLowerCase().split(/\s+/), u.email.toLowerCase()];
  return others.filter((u) => words(u).some((w) => w.startsWith(q))).slice(0, 8);
}

/** The teammate picker of `@` in a note: keys are handled by the composer's textarea, which keeps focus. */
export function MentionPicker({
  id,
  users,
  query,
  index,
  onIndex,
  onPick,
}: {
  id: string;
  users: User[];
  query: string;
  index: number;
  onIndex(i: number): void;
  onPick(u: User): void;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [index]);
  return (
    <div className="composer-picker mention-picker" data-testid="mention-picker" onMouseDown={(e) => e.preventDefault()}>
      <ul className="picker-list" role="listbox" id={id} aria-label={t('teammates')} ref={listRef}>
        {users.length === 0 && <li className="picker-empty">{t('none', { q: query })}</li>}
        {users.map((u, i) => (
          <li
            key={u.id}
            id={`${id}-${u.id}`}
            role="option"
            aria-selected={i === index}
            className={i === index ? 'picker-option active' : 'picker-option'}
            onMouseEnter={() => onIndex(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(u)}
          >
            <Avatar name={u.name} size={22} />
            <span className="picker-option-name">{u.name}</span>
            <span className="picker-option-hint truncate">{u.email}</span>
          </li>
        ))}
      </ul>
      <div className="picker-hint">{t('hint')}</div>
    </div>
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A note's text with its @mentions highlighted: `@Full Name`, `@First` or `@email-local-part` of a teammate (what
 * the server recognises too), after the start or a non-word character.
 */
export function withMentions(body: string, users: User[]): ReactNode {
  if (!body.includes('@') || users.length === 0) return body;
  const handles = new Set<string>();
  for (const u of users) {
    handles.add(u.name);
    handles.add(u.name.split(/\s+/)[0]!);
    handles.add(u.email.split('@')[0]!);
  }
  const alternatives = [...handles]
    .filter((h) => h.length > 1)
    .sort((a, b) => b.length - a.length)
    .map(escape);
  if (alternatives.length === 0) return body;
  const re = new RegExp(`(^|[^\\p{L}\\p{N}._%+-])(@(?:${alternatives.join('|')}))(?![\\p{L}\\p{N}_])`, 'giu');
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of body.matchAll(re)) {
    const start = m.index + m[1]!.length;
    if (start > last) out.push(body.slice(last, start));
    out.push(
      <mark key={start} className="mention">
        {m[2]}
      </mark>,
    );
    last = start + m[2]!.length;
  }
  if (last === 0) return body;
  out.push(body.slice(last));
  return out.map((x, i) => <Fragment key={i}>{x}</Fragment>);
}
