import { Fragment } from 'react';

/**
 * `text` with a line-break opportunity after each `/` and `#`: a namespace URI too long for its pane wraps between
 * its path segments ("…/wsdl/" over "soap12/") rather than at an arbitrary letter. Copied text is unchanged (<wbr>).
 */
export function Breakable({ text }: { text: string }) {
  // Not inside "//", nor after "</" or before "/>" and a closing quote.
  const parts = text.split(/(?<=[^<]\/|#)(?=[^/#"'>])/);
  return parts.map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}
