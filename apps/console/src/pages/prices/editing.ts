import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Which row's Edit was pressed last. The form below a table is keyed by
 * `version`, so every Edit (the same row twice included) remounts it filled
 * with that row, whatever was typed into it before.
 */
export function useEditing<T>() {
  const [state, setState] = useState<{ row: T | null; version: number }>({ row: null, version: 0 });
  const edit = useCallback((row: T) => setState((s) => ({ row, version: s.version + 1 })), []);
  return { ...state, edit };
}

/** A ref for a form's first field, focused when the form opens for an Edit: keyboard users land in what they edit. */
export function useFocusOnEdit<E extends HTMLElement>(editing: boolean) {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (editing) ref.current?.focus();
  }, [editing]);
  return ref;
}
