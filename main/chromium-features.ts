// Chromium features the checkout window runs without, shared by every way the renderer is shown
// (Electron, the browser host's app window, and bench:ui, which must measure what ships).
// DeferRendererTasksAfterInput holds ordinary tasks back until the frame after a key press; a
// barcode scan is a burst of key presses, so each scan's answer waited up to one frame (~16 ms)
// before the line could render.
export const DISABLED_CHROMIUM_FEATURES: readonly string[] = ['DeferRendererTasksAfterInput'];
