// Screens the checkout does not need at the counter (manager's settings, catalog, reports, store,
// register, setup…) live in their own chunks, so the bundle parsed before the code field is ready
// holds only what a sale needs. Each loads through React.lazy the first time; once preloaded (the
// app warms them all after the checkout is ready) it renders at once, with no Suspense fallback and
// no key lost to a screen that is still loading.
import { createElement, lazy, type ComponentType } from 'react';

interface LazyScreen<P extends object> {
  (props: P): ReturnType<typeof createElement>;
  /** Fetches and evaluates the chunk; safe to call many times. */
  preload(): Promise<void>;
}

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<void> | null = null;
  const preload = (): Promise<void> =>
    (pending ??= load().then(
      (c) => {
        loaded = c;
      },
      (err: unknown) => {
        // A failed fetch may be retried at the next visit.
        pending = null;
        throw err;
      },
    ));
  const Suspending = lazy(async () => {
    await preload();
    return { default: loaded as ComponentType<P> };
  });
  const Screen = (props: P) => createElement(loaded ?? Suspending, props);
  return Object.assign(Screen, { preload });
}

/**
 * Loads the given screens one after another when the page is idle, so a manager's first visit
 * does not wait on the network or the parser. Failures are left for the visit itself to retry.
 */
export function preloadWhenIdle(screens: readonly { preload(): Promise<void> }[]): () => void {
  let stopped = false;
  const idle = (fn: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 2_000 }) : setTimeout(fn, 200));
  const next = (i: number) => {
    if (stopped || i >= screens.length) return;
    idle(() => {
      if (stopped) return;
      screens[i]!.preload().then(
        () => next(i + 1),
        () => next(i + 1),
      );
    });
  };
  next(0);
  return () => {
    stopped = true;
  };
}
