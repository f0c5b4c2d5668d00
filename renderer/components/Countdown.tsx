// Time left until a deadline, ticking once a second (a timer, not a poll of the core).
import { useEffect, useState } from 'react';

export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}h${mm}min` : `${mm}:${ss}`;
}

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function Countdown({ deadline, testId = 'countdown' }: { deadline: number; testId?: string }) {
  const now = useNow();
  const left = deadline - now;
  return (
    <span className={`countdown ${left <= 5 * 60_000 ? 'urgent' : ''}`} data-testid={testId} data-left-ms={Math.max(0, left)}>
      {formatRemaining(left)}
    </span>
  );
}
