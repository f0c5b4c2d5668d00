// One Portuguese sentence saying what went wrong and what to do; announced to screen readers.
export function ErrorLine({ text, testId = 'dialog-error' }: { text: string | null; testId?: string }) {
  if (!text) return null;
  return (
    <p className="error-line" role="alert" data-testid={testId}>
      {text}
    </p>
  );
}
