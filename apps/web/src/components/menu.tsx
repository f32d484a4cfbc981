import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ChevronDownIcon } from './icons';

/** Open/closed state of a popup that closes on a click outside `ref` or on Escape. */
export function useDismissable() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return { open, setOpen, ref };
}

/** A button that opens a small list of actions; closes on outside click, Escape or a choice. */
export function MenuButton({
  label,
  icon,
  items,
  disabled,
  iconOnly = false,
  className = 'button',
}: {
  label: string;
  icon?: ReactNode;
  disabled?: boolean;
  /** Show only the icon (the label stays the accessible name and the tooltip). */
  iconOnly?: boolean;
  className?: string;
  items: { label: string; hint?: string; onSelect(): void }[];
}) {
  const { open, setOpen, ref } = useDismissable();
  return (
    <div className="menu-anchor" ref={ref}>
      <button
        type="button"
        className={iconOnly ? `${className} icon-only` : className}
        disabled={disabled}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={iconOnly ? label : undefined}
        title={iconOnly ? label : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {icon}
        {!iconOnly && label}
        {!iconOnly && <ChevronDownIcon size={14} />}
      </button>
      {open && (
        <div className="menu menu-down" role="menu">
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              <span>{item.label}</span>
              {item.hint && <span className="menu-hint">{item.hint}</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
