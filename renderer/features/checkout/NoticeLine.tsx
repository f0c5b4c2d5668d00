// The one-line message under the code field: the last item added, or what to do after an error.
import { useUi } from '../../state/ui.ts';

export function NoticeLine() {
  const notice = useUi((s) => s.notice);
  return (
    <p
      className={`notice notice-${notice?.tone ?? 'none'}`}
      data-testid="notice"
      data-tone={notice?.tone ?? 'none'}
      role={notice?.tone === 'error' ? 'alert' : 'status'}
    >
      {notice?.text ?? ' '}
    </p>
  );
}
