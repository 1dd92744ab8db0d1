/**
 * A small accessible modal: focus moves in, Tab stays in, Escape closes, focus returns.
 * The run pauses while it is open (nobody watches it behind a modal) and plays on when it
 * closes, unless the dialog replaced the run (new parameters, a lesson).
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { playground } from '../store/store';

export function Dialog(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  role?: 'dialog' | 'alertdialog';
  testid?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const { onClose } = props;

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>(
      '[data-autofocus], button, input, select, textarea, [tabindex="0"]',
    );
    first?.focus();
    return () => before?.focus?.();
  }, []);

  useEffect(() => {
    const s = playground.getState();
    const resume = s.playing ? s.generation : null;
    if (resume !== null) s.pause();
    return () => {
      const now = playground.getState();
      if (resume !== null && now.generation === resume && !now.playing) now.play();
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [
      ...(ref.current?.querySelectorAll<HTMLElement>(
        'button:not([disabled]), input, select, textarea, [tabindex="0"]',
      ) ?? []),
    ];
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      className="modal-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        className={`modal${props.wide ? ' wide' : ''}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testid}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
