// A key cap, as the F-key legend and the hints show it.
export function Kbd({ children }: { children: string }) {
  return <kbd className="kbd">{children}</kbd>;
}
