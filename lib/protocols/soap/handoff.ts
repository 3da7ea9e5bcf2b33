/**
 * The SOAP dissector as a hand-off child: it reads a body labelled application/soap+xml (SOAP 1.2)
 * or text/xml (SOAP 1.1), e.g. a mail sent per the SOAP 1.2 Email Binding.
 */
import type { Handoff } from '../kit/handoff.ts';
import { annotateSoapEnvelope, describeEnvelope } from './envelope.ts';

const MEDIA_TYPES = /^\s*(application\/soap\+xml|text\/xml)\b/i;

/** Hands a SOAP envelope body to the envelope annotator. */
export const soapEnvelopeHandoff: Handoff = {
  id: 'soap',
  name: 'SOAP',
  accepts: ({ mediaType }) => mediaType !== undefined && MEDIA_TYPES.test(mediaType),
  dissect(payload, options) {
    const annotated = annotateSoapEnvelope(payload, options);
    return { description: describeEnvelope(annotated.summary), messages: annotated.lines };
  },
  note: {
    key: 'smtp.note.soap-handoff',
    title: 'SOAP over SMTP',
    explain:
      'SMTP only carries the mail; its body here is a SOAP envelope (SOAP 1.2 Email Binding: the request is a mail, the answer a mail with In-Reply-To set to its Message-ID). The SOAP dissector reads the body after the transfer encoding is undone.',
    ref: 'SOAP 1.2 Email Binding (W3C Note 2002) §4; RFC 2045 §6',
  },
};
