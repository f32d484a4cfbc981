import { useState, type KeyboardEvent } from 'react';
import { Tag } from '../../components/ui';
import { t } from './messages';

// Mirrors the server: tags are trimmed and lower-cased, at most 64 characters and 50 per conversation.
const MAX_TAG_LENGTH = 64;
const MAX_TAGS = 50;

/** Chips plus an input: Enter or comma adds, Backspace on an empty input removes the last tag. */
export function TagsEditor({ tags, disabled, onChange }: { tags: string[]; disabled?: boolean; onChange(tags: string[]): void }) {
  const [draft, setDraft] = useState('');
  const [invalid, setInvalid] = useState(false);

  function add() {
    const tag = draft.trim().toLowerCase();
    if (!tag) return;
    if (tag.length > MAX_TAG_LENGTH || tags.length >= MAX_TAGS) return setInvalid(true);
    setDraft('');
    if (!tags.includes(tag)) onChange([...tags, tag]);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && !draft && tags.length > 0) {
      onChange(tags.slice(0, -1));
    }
  }

  return (
    <div className={invalid ? 'tags-editor invalid' : 'tags-editor'}>
      {tags.map((tag) => (
        <Tag key={tag} onRemove={disabled ? undefined : () => onChange(tags.filter((x) => x !== tag))}>
          {tag}
        </Tag>
      ))}
      {!disabled && (
        <input
          className="tag-input"
          aria-label={t('addTag')}
          placeholder={tags.length ? t('addShort') : t('addATag')}
          value={draft}
          maxLength={MAX_TAG_LENGTH}
          onChange={(e) => {
            setDraft(e.target.value);
            setInvalid(false);
          }}
          onKeyDown={onKeyDown}
          onBlur={add}
        />
      )}
      {disabled && tags.length === 0 && <span className="muted small">{t('noTags')}</span>}
    </div>
  );
}
