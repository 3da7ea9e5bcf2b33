/**
 * References the XML validator lets through. XML predefines five entities (&amp; &lt; &gt; &quot;
 * &apos;) and character references (&#65; &#x41;); every other &name; must be declared in a DTD, and
 * the lab refuses DTDs, so it can never be declared: such a document is not well-formed. A bare "&"
 * is not well-formed either. fast-xml-parser's validator accepts both in text and attributes (`&foo;`,
 * `a="x&y"`), and the soap package then answered "Invalid XML". Comments, CDATA sections and
 * processing instructions hold "&" as plain text and are skipped.
 */

const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/** What may follow "&": a name or a character reference, up to its ";". */
const REFERENCE = /^&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][A-Za-z0-9._:-]*);/;
/** Sections whose text is not parsed for references: comments, CDATA, processing instructions. */
const OPAQUE: readonly [string, string][] = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
];

/**
 * The first reference a well-formed document could not hold, and where it is (1-based), or null. One
 * pass: the next start of each opaque section is looked up again only once the scan has passed it.
 */
export function badReference(xml: string): { reference: string; line: number; col: number } | null {
  const nextOpen = OPAQUE.map(([open]) => xml.indexOf(open));
  let i = 0;
  for (;;) {
    const amp = xml.indexOf('&', i);
    if (amp === -1) return null;
    let section = -1;
    for (let k = 0; k < OPAQUE.length; k++) {
      if (nextOpen[k] !== -1 && nextOpen[k] < amp && (section === -1 || nextOpen[k] < nextOpen[section])) section = k;
    }
    if (section !== -1) {
      const [open, end] = OPAQUE[section];
      const close = xml.indexOf(end, nextOpen[section] + open.length);
      // An unterminated section: the validator has judged that already.
      if (close === -1) return null;
      i = close + end.length;
      for (let k = 0; k < OPAQUE.length; k++) if (nextOpen[k] !== -1 && nextOpen[k] < i) nextOpen[k] = xml.indexOf(OPAQUE[k][0], i);
      continue;
    }
    const found = REFERENCE.exec(xml.slice(amp, amp + 80));
    const name = found?.[1];
    if (name === undefined || !(name.startsWith('#') || PREDEFINED.has(name))) {
      const before = xml.slice(0, amp);
      return { reference: found ? found[0] : '&', line: before.split('\n').length, col: amp - before.lastIndexOf('\n') };
    }
    i = amp + 1;
  }
}
