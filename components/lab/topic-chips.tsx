/** A lab's topics as small chips (home cards and the "coming" page). */
export function TopicChips({ topics }: { topics: readonly string[] }) {
  return (
    <p className="mt-3 flex flex-wrap gap-1.5">
      {topics.map((t) => (
        <span key={t} className="rounded bg-slate-800 px-1.5 py-0.5 text-xs text-slate-400">
          {t}
        </span>
      ))}
    </p>
  );
}
