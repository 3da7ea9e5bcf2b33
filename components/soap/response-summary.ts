/**
 * Reads the raw HTTP response of the HTTP console: status, content type, and either the
 * calendar text (entities decoded, as a client library would show it) or the fault's parts.
 * Regex-based on purpose: the raw text is shown too, and garbage must never throw.
 */

/** What the result card shows about one exchange. */
export interface ResponseSummary {
  status: number;
  reason: string;
  contentType: string | null;
  /** The operation's result part (the month as text), decoded. */
  result?: string;
  fault?: { code: string; subcode?: string; reason: string; detail?: string };
}

/** Decodes the five predefined entities and numeric character references. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return safeChar(parseInt(lower.slice(2), 16), whole);
    if (lower.startsWith('#')) return safeChar(parseInt(lower.slice(1), 10), whole);
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? whole;
  });
}

function safeChar(code: number, fallback: string): string {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

const el = (name: string) => new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>`);
const stripTags = (xml: string) => xml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** Summarises the last HTTP response in `raw` (after any 1xx interim responses). */
export function summarizeResponse(raw: string): ResponseSummary | null {
  const starts = [...raw.matchAll(/^HTTP\/\d\.\d (\d{3})([^\r\n]*)/gm)];
  const last = [...starts].reverse().find((m) => Number(m[1]) >= 200) ?? starts.at(-1);
  if (!last || last.index === undefined) return null;
  const message = raw.slice(last.index);
  const split = message.search(/\r?\n\r?\n/);
  const head = split < 0 ? message : message.slice(0, split);
  const body = split < 0 ? '' : message.slice(split).replace(/^\r?\n\r?\n/, '');
  const contentType = head.match(/^content-type:[ \t]*([^\r\n]*)/im)?.[1].trim() ?? null;
  const summary: ResponseSummary = { status: Number(last[1]), reason: last[2].trim(), contentType };

  const fault = body.match(el('Fault'));
  if (fault) {
    const inner = fault[1];
    // SOAP 1.1: faultcode/faultstring/detail; SOAP 1.2: Code/Value (+Subcode), Reason/Text, Detail.
    const code11 = inner.match(el('faultcode'));
    const code12 = inner.match(el('Code'));
    const code = code11 ? stripTags(code11[1]) : code12 ? stripTags(code12[1].match(el('Value'))?.[1] ?? '') : '';
    const subcode = code12?.[1].match(el('Subcode'))?.[1];
    const reason = inner.match(el('faultstring'))?.[1] ?? inner.match(el('Text'))?.[1] ?? '';
    const detail = inner.match(el('detail'))?.[1] ?? inner.match(el('Detail'))?.[1];
    summary.fault = {
      code: decodeXmlText(code),
      subcode: subcode ? decodeXmlText(stripTags(subcode.match(el('Value'))?.[1] ?? subcode)) : undefined,
      reason: decodeXmlText(stripTags(reason)),
      detail: detail ? decodeXmlText(stripTags(detail)) : undefined,
    };
    return summary;
  }
  const result = body.match(el('calendar'));
  if (result) summary.result = decodeXmlText(result[1]).replace(/\r\n/g, '\n');
  return summary;
}
