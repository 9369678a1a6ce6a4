// Keyboard first: a person who knows the format clears a scan without the mouse.
//   Tab / ↓ / j        next flag            Shift-Tab / ↑ / k   previous flag
//   Enter              confirm the value as read (in the input: submit the correction)
//   0–9 . -            start a correction (Enter submits)
//   e / F2             edit (metadata text)  s  take the implied value   p  printed so (with the typed value, if any)
//   Esc                cancel               c  close the review (all decided) and open the next document
//   v                  the whole page with the cell's box   m  the metadata fields in turn (e edits one)
//   n                  next document         q  back to the queue
const STARTS_CORRECTION = /^[0-9０-９.\-]$/;

export function bindDocumentKeys({ state, root, move, actions, close, next, queue, metadata, current, render }) {
  const input = () => root.querySelector('input.draft');

  function startEditing(initial) {
    state.draft = initial;
    state.message = null;
    render();
    const el = input();
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }

  function onKey(event) {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    const inDraft = event.target instanceof HTMLInputElement && event.target.classList.contains('draft');
    if (event.target instanceof HTMLInputElement && !inDraft) return;
    const key = event.key;
    const item = current();
    if (state.viewer) {
      if (key === 'Escape' || key === 'v') {
        event.preventDefault();
        actions.page();
      }
      return;
    }

    if (key === 'Tab' || (!inDraft && (key === 'ArrowDown' || key === 'ArrowUp' || key === 'j' || key === 'k'))) {
      event.preventDefault();
      state.draft = '';
      move(key === 'ArrowUp' || key === 'k' || (key === 'Tab' && event.shiftKey) ? -1 : 1);
      return;
    }
    if (inDraft) {
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        event.preventDefault();
        state.draft = '';
        move(key === 'ArrowUp' ? -1 : 1);
      } else if (key === 'Enter') {
        event.preventDefault();
        if (state.draft.trim()) actions.correct();
      } else if (key === 'Escape') {
        event.preventDefault();
        actions.cancel();
      } else if (item?.kind === 'cell' && (key === 'p' || key === 's')) {
        // Letters mean nothing in a number: they stay commands while typing a correction.
        event.preventDefault();
        (key === 'p' ? actions.printedSo : actions.suggestion)();
      }
      return;
    }
    if (event.target instanceof HTMLButtonElement && (key === 'Enter' || key === ' ')) return;
    if (key === 'Enter') {
      event.preventDefault();
      if (item) actions.confirm();
    } else if ((item?.kind === 'cell' || item?.key === 'metadata.year') && STARTS_CORRECTION.test(key)) {
      event.preventDefault();
      startEditing(key);
    } else if (item && (key === 'e' || key === 'F2')) {
      event.preventDefault();
      startEditing(item.kind === 'meta' ? String(item.data.value ?? '') : '');
    } else if (key === 's') actions.suggestion();
    else if (key === 'p') actions.printedSo();
    else if (key === 'v') actions.page();
    else if (key === 'Escape') actions.cancel();
    else if (key === 'c') void close();
    else if (key === 'm') metadata();
    else if (key === 'n') next();
    else if (key === 'q') queue();
  }

  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
