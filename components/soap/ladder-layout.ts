/**
 * The mail binding's ladder: requests and answers placed in the order they happened (one slot
 * each), so an answer that overtakes another visibly crosses it. Pure, to keep the SVG dumb.
 */

/** The fields of a correlation row the ladder needs. */
export interface LadderRow {
  sentOrder: number;
  sentAt: number;
  state: string;
  answer?: { arrivalOrder: number; arrivedAt: number; fault?: unknown; late?: boolean };
}

/** One arrow of the ladder: a request leaving the client, or an answer reaching it. */
export interface LadderEvent {
  kind: 'request' | 'answer';
  sentOrder: number;
  slot: number;
  arrivalOrder?: number;
  fault?: boolean;
}

/** A request's time inside the service: from its request slot to its answer slot (null while open). */
export interface LadderSpan {
  sentOrder: number;
  from: number;
  to: number | null;
  state: string;
}

export interface LadderLayout {
  events: LadderEvent[];
  spans: LadderSpan[];
  slots: number;
  /** True when some answer arrived before the answer to a request sent earlier. */
  crossed: boolean;
}

/** Lays out requests (by send time) and answers (by arrival time) on one shared sequence of slots. */
export function ladderLayout(rows: LadderRow[]): LadderLayout {
  const timed: { t: number; order: number; event: Omit<LadderEvent, 'slot'> }[] = [];
  for (const row of rows) {
    timed.push({ t: row.sentAt, order: 0, event: { kind: 'request', sentOrder: row.sentOrder } });
    if (row.answer) {
      timed.push({
        t: row.answer.arrivedAt,
        order: 1,
        event: { kind: 'answer', sentOrder: row.sentOrder, arrivalOrder: row.answer.arrivalOrder, fault: Boolean(row.answer.fault) },
      });
    }
  }
  // Same instant: requests before answers; then send order / arrival order.
  timed.sort((a, b) => a.t - b.t || a.order - b.order || rank(a.event) - rank(b.event));
  const events = timed.map((e, slot) => ({ ...e.event, slot }));
  const slotOf = (kind: LadderEvent['kind'], sentOrder: number) => events.find((e) => e.kind === kind && e.sentOrder === sentOrder)?.slot ?? null;
  const spans = rows.map((row) => ({ sentOrder: row.sentOrder, from: slotOf('request', row.sentOrder) ?? 0, to: slotOf('answer', row.sentOrder), state: row.state }));
  const answered = rows.filter((r) => r.answer).sort((a, b) => a.sentOrder - b.sentOrder);
  const crossed = answered.some((r, i) => i > 0 && r.answer!.arrivalOrder < answered[i - 1].answer!.arrivalOrder);
  return { events, spans, slots: events.length, crossed };
}

function rank(event: Omit<LadderEvent, 'slot'>): number {
  return event.kind === 'answer' ? (event.arrivalOrder ?? 0) : event.sentOrder;
}
