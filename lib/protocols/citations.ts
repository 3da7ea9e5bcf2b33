/**
 * Finds the spec citations in annotation sources ("RFC 959 §4.2.2, §3.2", "SOAP 1.2 Part 1 §5.4.1.3",
 * "RFC 8446 Appendix B.3") and looks their section headings up in the stored spec texts under
 * docs/reference/, so a test can prove every cited section exists (issue 8, facts review).
 * Pure functions: the caller reads the files.
 */

/** One cited section: the document id (file stem under docs/reference/) and the section label. */
export interface Citation {
  doc: string;
  /** "4.2.2", "3", "A.1", or "Appendix II" / "Appendix A". */
  section: string;
  /** Offset of the citation's document name in the scanned text. */
  index: number;
}

/** Cited documents other than RFCs: the text that names them and their file stem. Longest names first. */
export const NAMED_DOCS: readonly (readonly [name: string, doc: string])[] = [
  ['WSDL 1.1 Binding Extension for SOAP 1.2', 'wsdl11-soap12'],
  ['draft-ietf-secsh-filexfer-02', 'draft-ietf-secsh-filexfer-02'],
  ['WS-PolicyAttachment 1.5', 'ws-policy-attach'],
  ['WS-Addressing 1.0 SOAP Binding', 'ws-addr-soap'],
  ['WS-Addressing 1.0 Metadata', 'ws-addr-metadata'],
  ['WS-Addressing 1.0 Core', 'ws-addr-core'],
  ['WS-Addressing Metadata', 'ws-addr-metadata'],
  ['WS-ReliableMessaging 1.1', 'wsrm-1.1'],
  ['WS-ReliableMessaging 1.0', 'wsrm-1.0'],
  ['WS-Policy 1.5 Framework', 'ws-policy'],
  ['SOAP 1.2 Part 1', 'soap12-part1'],
  ['SOAP 1.2 Part 2', 'soap12-part2'],
  ['SOAP 1.1', 'soap11'],
  ['WSDL 1.1', 'wsdl11'],
  ['XML 1.0', 'xml10'],
  ['XML Schema Part 1', 'xmlschema1'],
  // Unicode Standard Annex #9, the bidirectional algorithm (invisible characters in a transcript: lib/wire/invisible-note.ts).
  ['UAX #9', 'uax9'],
  // Unicode Security Considerations and Security Mechanisms: invisible and default-ignorable characters (the same note).
  ['UTR #36', 'utr36'],
  ['UTS #39', 'uts39'],
  // The ZeroMQ RFCs (rfc.zeromq.org), stored as their markdown sources: see headingsFromMarkdown.
  ...(['15', '23', '24', '25', '26', '28', '31', '37'] as const).flatMap((n) => [[`ZMTP RFC ${n}`, `zmq-rfc-${n}`], [`ZeroMQ RFC ${n}`, `zmq-rfc-${n}`]] as const),
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DOC_NAME = new RegExp(`RFC ?(\\d{3,4})\\b|(${NAMED_DOCS.map(([name]) => escape(name)).join('|')})`, 'g');
// A section label: dotted numbers, an appendix letter with optional numbers, or a roman numeral appendix.
const LABEL = String.raw`(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)`;
const ITEM = new RegExp(
  String.raw`^(?:\s*,\s*|\s+and\s+|\s+)(?:§\s?(${LABEL})(?:\s?[–-]\s?(${LABEL}))?|(?:Appendix|APPENDIX)\s+([A-Z]{1,4}\b(?:\.\d+)*))`,
);

/** Every section citation in `text`, in order. A range "§3–4" yields both ends. */
export function extractCitations(text: string): Citation[] {
  const found: Citation[] = [];
  for (const match of text.matchAll(DOC_NAME)) {
    const doc = match[1] ? `rfc${match[1]}` : (NAMED_DOCS.find(([name]) => name === match[2])?.[1] ?? '');
    let rest = text.slice(match.index + match[0].length);
    for (let item = ITEM.exec(rest); item; item = ITEM.exec(rest)) {
      const [, from, to, appendix] = item;
      if (from) found.push({ doc, section: from, index: match.index });
      if (to) found.push({ doc, section: to, index: match.index });
      if (appendix) found.push({ doc, section: appendix.includes('.') ? appendix : `Appendix ${appendix}`, index: match.index });
      rest = rest.slice(item[0].length);
    }
  }
  return found;
}

// A heading that begins with a section label: "7.1. Chunked …", "Appendix A. …", "5.4.1.3 SOAP Value …", "A. Title".
const NUMBERED_HEADING = /^(?:Appendix [A-Z]|\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\.?\s/;

/**
 * The numbered section headings of a spec rendered to HTML, one "7.1. Chunked Transfer Coding" line each, so
 * findSectionTitle can read them like a plain-text RFC. Reads the HTTP WG's rfc2629.xslt renderings
 * (`<h2 id="rfc.section.7.1">`) and the W3C's xmlspec ones (`<h5><a name="faultsubvalueelem"></a>5.4.1.3 SOAP Value
 * element (with Subcode parent)</h5>`, also `<h3 id="…">`). A bare appendix letter ("A. Version Transition …")
 * becomes "Appendix A. …", the form findSectionTitle looks for.
 */
export function headingsFromHtml(html: string): string {
  const lines: string[] = [];
  for (const h of html.matchAll(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/g)) {
    const text = h[2]
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;|&#160;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ') // also folds the U+00A0 the W3C files carry
      .trim();
    if (NUMBERED_HEADING.test(text)) lines.push(/^[A-Z]\.\s/.test(text) ? `Appendix ${text}` : text);
  }
  return lines.join('\n');
}

/**
 * The headings of a ZeroMQ RFC's markdown source (rfc.zeromq.org), numbered so a citation can name them: the
 * texts have unnumbered headings ("## Implementation", "### Framing", "#### Commands"), so each "##" heading is
 * numbered in order (1, 2, …) and each deeper one within its parent (3.7, 3.7.1), giving "3.7.1. Commands" lines
 * that findSectionTitle reads like a plain-text RFC. The front matter and fenced code blocks are skipped; a
 * "**NEW:** " marker is dropped from the title.
 */
export function headingsFromMarkdown(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const counts: number[] = [];
  const lines: string[] = [];
  let fenced = false;
  for (const line of body.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{2,6})\s+(.+?)\s*$/.exec(line);
    if (!heading) continue;
    const depth = heading[1].length - 2;
    counts.length = depth + 1;
    counts[depth] = (counts[depth] ?? 0) + 1;
    for (let i = 0; i < depth; i++) counts[i] ??= 1;
    lines.push(`${counts.join('.')}. ${heading[2].replace(/^\*\*NEW:\*\*\s*/, '')}`);
  }
  return lines.join('\n');
}

/**
 * The plain RFC text inside an rfcmarkup HTML page (the IETF tools' rendering: the RFC's own text in `<pre>`
 * blocks, with links and heading spans added), so findSectionTitle reads it like the .txt file.
 */
export function textFromRfcMarkup(html: string): string {
  return [...html.matchAll(/<pre\b[^>]*>([\s\S]*?)<\/pre>/g)]
    .map((pre) => decodeEntities(pre[1].replace(/<[^>]*>/g, '')))
    .join('\n');
}

/** True for an rfcmarkup page (its generator meta tag), which textFromRfcMarkup reads. */
export const isRfcMarkup = (html: string): boolean => /<meta name="creator" content="rfcmarkup\b/.test(html);

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// Table-of-contents lines end in a page number after dots ("4.1. Use over TCP/IP ....... 4").
const TOC_LINE = /(?:\.\s?){3,}\s*\d+\s*$/;

/**
 * The title of `section` in an RFC-format text (a line "4.2.2.  Title", "4.2.2 Title", "A.1.  Title",
 * "Appendix A. Title" or "APPENDIX II - TITLE", table of contents excluded), or undefined if absent.
 */
export function findSectionTitle(specText: string, section: string): string | undefined {
  const appendix = /^Appendix (\S+)$/.exec(section);
  const head = appendix ? String.raw`(?:Appendix|APPENDIX)\s+${escape(appendix[1])}(?:\.|\s+-|:)?` : String.raw`${escape(section)}\.?`;
  const heading = new RegExp(String.raw`^( {0,8})${head}\s+(\S.*)$`, 'gm');
  // Numbered list items inside the prose look like headings too; real headings are the least indented.
  let best: { indent: number; title: string } | undefined;
  for (const line of specText.matchAll(heading)) {
    if (TOC_LINE.test(line[0])) continue;
    if (!best || line[1].length < best.indent) best = { indent: line[1].length, title: line[2].trim() };
  }
  return best?.title;
}
