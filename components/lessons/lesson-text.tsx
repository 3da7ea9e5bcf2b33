'use client';

import { useSecrets } from '@/components/lab/secrets';

/**
 * A lesson's prose as a student reads it: paragraphs split at blank lines, a single line break
 * kept (a short list of "- " lines), and `backticked` text shown as code — commands to type, as
 * the lesson files write them. Plain React text: nothing in a lesson is read as HTML.
 */
export function LessonText({ text, className = '' }: { text: string; className?: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((paragraph, i) => (
        // A URL or namespace longer than the panel is narrow (Presenter mode) breaks rather than running out of it.
        <p key={i} className={`whitespace-pre-line [overflow-wrap:anywhere] ${className}`}>
          <InlineCode text={paragraph} />
        </p>
      ))}
    </>
  );
}

/** One line of lesson prose with its `backticked` parts as code (the password dotted out on a projector). */
export function InlineCode({ text: written }: { text: string }) {
  const text = useSecrets().conceal(written);
  const parts = text.split('`');
  // An odd count of backticks leaves the last one unpaired: show it as written.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="break-all rounded bg-slate-950 px-1 font-mono text-[0.92em] text-client">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
