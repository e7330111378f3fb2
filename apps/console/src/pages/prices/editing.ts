import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Which row's Edit was pressed last (null: none, or the form was cleared).
 * The form below a table is keyed by `version`, so every Edit (the same row
 * twice included) and every Clear remounts it, whatever was typed into it.
 */
export function useEditing<T>() {
  const [state, setState] = useState<{ row: T | null; version: number }>({ row: null, version: 0 });
  const open = useCallback((row: T | null) => setState((s) => ({ row, version: s.version + 1 })), []);
  return { ...state, edit: open, clear: useCallback(() => open(null), [open]) };
}

/** A ref for a form's first field, focused when the form opens for an Edit: keyboard users land in what they edit. */
export function useFocusOnEdit<E extends HTMLElement>(editing: boolean) {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (editing) ref.current?.focus();
  }, [editing]);
  return ref;
}
