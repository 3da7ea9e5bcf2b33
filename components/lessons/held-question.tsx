'use client';

import { useState } from 'react';
import type { HeldPreview } from '@/lib/bus/events.ts';
import type { HeldQuestion, StepStatus } from '@/lib/lessons/types.ts';
import { holdsQuestion, readablePattern } from './held-match';
import { LessonText } from './lesson-text';

/**
 * A step's question, Packet Tracer's challenge mode on the real wire: while step mode holds the
 * message it is about, the student says what the server will answer; once Step releases it, the
 * real answer is read from the transcript and the panel says right or wrong, and why.
 */
export function HeldQuestionBox(props: {
  question: HeldQuestion;
  answer: StepStatus['answer'];
  /** What step mode holds next for this browser, if anything. */
  held: HeldPreview | undefined;
  stepMode: boolean;
  onHold(): void;
  onAnswer(given: string): Promise<void>;
}) {
  const { question, answer } = props;
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const asking = !answer && holdsQuestion(question, props.held);

  const submit = (given: string) => {
    const value = given.trim();
    if (!value || sending) return;
    setSending(true);
    setError(null);
    props.onAnswer(value).then(
      () => setSending(false),
      (e: Error) => {
        setSending(false);
        setError(e.message);
      },
    );
  };

  return (
    <div className="rounded-md border border-amber-700/60 bg-amber-950/30 p-2 text-sm" data-testid="lesson-question">
      <p className="font-medium text-amber-200">{answer || asking ? `Question: ${question.prompt}` : 'This step asks a question'}</p>
      {answer ? (
        <>
          <Verdict question={question} answer={answer} />
          {/* The verdict came with the reply's first line; the step may need the rest, which step mode still holds. */}
          {answer.actual !== null && props.stepMode && props.held && (
            <p className="mt-1 text-xs text-amber-200" data-testid="lesson-still-held">
              Step mode still holds the rest of this exchange: press <b>Play</b> (or turn step mode off) to let it through.
            </p>
          )}
        </>
      ) : asking ? (
        <div className="mt-2 space-y-2">
          <p className="text-xs text-slate-300">
            Held now: <code className="break-all text-client">{props.held?.text}</code>
          </p>
          {question.choices ? (
            <div className="flex flex-wrap gap-1.5" role="group" aria-label="Choices">
              {question.choices.map((choice) => (
                <button
                  key={choice}
                  disabled={sending}
                  onClick={() => submit(choice)}
                  className="rounded border border-amber-600 px-2 py-0.5 font-mono text-sm text-amber-100 hover:bg-amber-500/20 disabled:opacity-40"
                >
                  {choice}
                </button>
              ))}
            </div>
          ) : (
            <form
              className="flex gap-1.5"
              onSubmit={(e) => {
                e.preventDefault();
                submit(text);
              }}
            >
              <input
                value={text}
                onChange={(e) => setText(e.target.value)}
                aria-label="Your answer"
                maxLength={200}
                className="min-w-0 flex-1 rounded border border-slate-600 bg-slate-950 px-2 py-0.5 font-mono text-sm"
              />
              <button disabled={sending || !text.trim()} className="rounded border border-amber-600 px-2 py-0.5 text-sm text-amber-100 hover:bg-amber-500/20 disabled:opacity-40">
                Answer
              </button>
            </form>
          )}
          {error && <p className="text-xs text-red-300">{error}</p>}
        </div>
      ) : (
        <div className="mt-1 space-y-1.5 text-xs text-slate-300">
          {question.when.dir === 'client' ? (
            <p>
              Step mode holds your command <code className="text-client">{readablePattern(question.when.text)}</code> at the tap, and you say what the server will answer before it has
              seen it.
            </p>
          ) : (
            // A held reply: the question is about what it will make the client do, or what it says.
            <p>
              Step mode holds the server&apos;s reply <code className="text-server">{readablePattern(question.when.text)}</code> at the tap, and you answer before the client has seen it.
            </p>
          )}
          {props.stepMode ? (
            <p className="text-amber-200">Step mode is on: send it now, and answer while it is held.</p>
          ) : (
            <button onClick={props.onHold} className="rounded border border-sky-500 bg-sky-500/10 px-2 py-0.5 text-sm text-sky-100 hover:bg-sky-500/20">
              Hold the next message
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Who gives the real answer: the server's reply, or (a held reply's question, SSH's NEWKEYS) what the client sends next. */
const answeredBy = (question: HeldQuestion) =>
  question.answer.from.dir === 'client' ? { now: 'the client sends', then: 'the client sent' } : { now: 'the server answers', then: 'the server answered' };

/** Right or wrong once the real answer is in; before that, what the student said and what to do. */
function Verdict({ question, answer }: { question: HeldQuestion; answer: NonNullable<StepStatus['answer']> }) {
  const by = answeredBy(question);
  if (answer.actual === null || answer.correct === null) {
    return (
      <p className="mt-1 text-xs text-slate-300" data-testid="lesson-answer-pending">
        You said <code className="text-amber-100">{answer.given}</code>. Press <b>Step ▸</b> to release the held message and see what {by.now}.
      </p>
    );
  }
  return (
    <div className="mt-1 space-y-1" data-testid="lesson-verdict">
      <p className={answer.correct ? 'font-medium text-emerald-300' : 'font-medium text-red-300'}>
        {answer.correct ? '✓ Correct' : '✗ Not quite'}: you said <code>{answer.given}</code>, {by.then} <code>{answer.actual}</code>
        {answer.edited === undefined ? '.' : <> — to your edit, <code className="break-all">{answer.edited}</code>, not to the message that was held.</>}
      </p>
      <div className="space-y-1 text-xs text-slate-200">
        <LessonText text={question.explain} />
      </div>
    </div>
  );
}
