import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { errorMessage } from '../../../api/client';
import { defineMessages } from '../../../i18n';
import { capitalize } from '../../../lib/format';
import { useTeams } from '../reference-data';
import { pane, paneKeys, type Macro, type MacroActions } from './api';

export const tm = defineMessages('conversation.macros', {
  macros: 'Macros',
  search: 'Search macros',
  none: 'No macro matches “{q}”',
  empty: 'No macros yet. Admins and agents create them in Settings → Macros.',
  loading: 'Loading macros…',
  preview: 'Preview',
  rendering: 'Rendering…',
  hint: '↑↓ to choose · Enter to insert · Esc to close',
  shared: 'Shared',
  personal: 'Personal',
  onSend: 'On send',
  status: 'Status {value}',
  priority: 'Priority {value}',
  tags: 'Tags {value}',
  team: 'Team {value}',
  deletedTeam: 'a deleted team',
  staged: 'Macro “{name}” — on send:',
  dropActions: 'Drop the macro’s actions',
  actionsFailed: 'The reply was sent, but the macro’s actions failed: {reason}',
});

/** The macro's actions in words ("Priority High", "Tags refund"), for the preview and the staged chips. */
export function useActionLabels(actions: MacroActions | undefined): string[] {
  const teams = useTeams();
  if (!actions) return [];
  const out: string[] = [];
  if (actions.priority) out.push(tm('priority', { value: capitalize(actions.priority) }));
  if (actions.addTags?.length) out.push(tm('tags', { value: actions.addTags.join(', ') }));
  if (actions.teamId) out.push(tm('team', { value: teams.byId.get(actions.teamId)?.name ?? tm('deletedTeam') }));
  if (actions.status) out.push(tm('status', { value: capitalize(actions.status) }));
  return out;
}

export function matchMacros(list: Macro[], query: string): Macro[] {
  const q = query.trim().toLowerCase();
  if (!q) return list;
  const starts = list.filter((m) => m.name.toLowerCase().startsWith(q));
  const rest = list.filter((m) => !starts.includes(m) && (m.name.toLowerCase().includes(q) || m.body.toLowerCase().includes(q)));
  return [...starts, ...rest];
}

export function useMacros(enabled: boolean) {
  return useQuery({ queryKey: paneKeys.macros, queryFn: pane.macros, enabled, staleTime: 60_000 });
}

export function useMacroPreview(macroId: string | undefined, conversationId: string) {
  return useQuery({
    queryKey: paneKeys.macroPreview(macroId ?? '', conversationId),
    queryFn: () => pane.previewMacro(macroId!, conversationId),
    enabled: !!macroId,
    staleTime: 30_000,
  });
}

/**
 * The `/` picker: macros filtered by the text after the slash (or the picker's own search box when opened with the
 * Macros button), the highlighted one rendered for this conversation. The composer owns the keys when the slash
 * opened it (the textarea keeps focus); the search box handles them itself otherwise.
 */
export function MacroPicker({
  id,
  conversationId,
  query,
  index,
  withSearch,
  onQuery,
  onIndex,
  onPick,
  onClose,
}: {
  id: string;
  conversationId: string;
  query: string;
  index: number;
  /** Opened with the button: show a search box and focus it. */
  withSearch: boolean;
  onQuery(q: string): void;
  onIndex(i: number): void;
  onPick(m: Macro): void;
  onClose(): void;
}) {
  const macros = useMacros(true);
  const list = useMemo(() => matchMacros(macros.data?.data ?? [], query), [macros.data, query]);
  const current = list[Math.min(index, list.length - 1)];
  const preview = useMacroPreview(current?.id, conversationId);
  const labels = useActionLabels(preview.data?.data.actions ?? current?.actions);
  const search = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (withSearch) search.current?.focus();
  }, [withSearch]);
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [index, list.length]);

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    pickerKeys(e, list.length, index, onIndex, () => current && onPick(current), onClose);
  };

  return (
    // Opened by `/`, the textarea keeps the focus: clicks in the picker (options, its scrollbar) must not take it.
    <div
      className="composer-picker macro-picker"
      data-testid="macro-picker"
      onMouseDown={withSearch ? undefined : (e) => e.preventDefault()}
    >
      {withSearch && (
        <input
          ref={search}
          className="picker-search"
          type="search"
          aria-label={tm('search')}
          placeholder={tm('search')}
          value={query}
          role="combobox"
          aria-expanded="true"
          aria-controls={id}
          aria-activedescendant={current ? `${id}-${current.id}` : undefined}
          onChange={(e) => {
            onQuery(e.target.value);
            onIndex(0);
          }}
          onKeyDown={onSearchKey}
        />
      )}
      <div className="picker-body">
        <ul className="picker-list" role="listbox" id={id} aria-label={tm('macros')} ref={listRef}>
          {macros.isPending && <li className="picker-empty">{tm('loading')}</li>}
          {macros.error && <li className="picker-empty">{errorMessage(macros.error)}</li>}
          {macros.data && list.length === 0 && <li className="picker-empty">{query ? tm('none', { q: query }) : tm('empty')}</li>}
          {list.map((m, i) => (
            <li
              key={m.id}
              id={`${id}-${m.id}`}
              role="option"
              aria-selected={m === current}
              className={m === current ? 'picker-option active' : 'picker-option'}
              onMouseEnter={() => onIndex(i)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(m)}
            >
              <span className="picker-option-name">{m.name}</span>
              <span className="picker-option-hint">{m.visibility === 'shared' ? tm('shared') : tm('personal')}</span>
            </li>
          ))}
        </ul>
        {current && (
          <div className="macro-preview" aria-live="polite" aria-label={tm('preview')}>
            <div className="macro-preview-title">{tm('preview')}</div>
            <div className="macro-preview-body" data-testid="macro-preview">
              {preview.isPending ? tm('rendering') : preview.error ? errorMessage(preview.error) : preview.data?.data.body}
            </div>
            {labels.length > 0 && (
              <div className="macro-preview-actions">
                <span>{tm('onSend')}:</span>
                {labels.map((l) => (
                  <span key={l} className="macro-chip">
                    {l}
                  </span>
                ))}
              </div>
            )}
          </div>
        )}
      </div>
      <div className="picker-hint">{tm('hint')}</div>
    </div>
  );
}

/** Arrow keys move, Enter or Tab picks, Escape closes: shared by the composer's textarea and the pickers' search boxes. */
export function pickerKeys(
  e: KeyboardEvent<HTMLElement>,
  count: number,
  index: number,
  setIndex: (i: number) => void,
  pick: () => void,
  close: () => void,
): boolean {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    if (count > 0) setIndex((index + (e.key === 'ArrowDown' ? 1 : count - 1)) % count);
    return true;
  }
  if ((e.key === 'Enter' && !e.metaKey && !e.ctrlKey && !e.shiftKey) || (e.key === 'Tab' && count > 0)) {
    e.preventDefault();
    if (count > 0) pick();
    return true;
  }
  if (e.key === 'Escape') {
    e.preventDefault();
    e.stopPropagation();
    close();
    return true;
  }
  return false;
}
