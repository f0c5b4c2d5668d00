// `ref={focusOnMount}` focuses an element when it mounts, as React's `autoFocus` prop does. The
// renderer runs on Preact's compat layer (renderer/vite.config.ts), which only sets the HTML
// `autofocus` attribute: Chromium honours that on a page's first autofocus element, never on one a
// screen inserts later. Both libraries call a callback ref once the element is in the document, and
// only on mount while the function stays the same (hence one module-level function, never inline).
export function focusOnMount(el: HTMLElement | null): void {
  el?.focus();
}
