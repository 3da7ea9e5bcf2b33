/**
 * Words the lab's FTP console and the FTP page share: a console block whose file contents crossed
 * inside TLS (PROT P) says so in its header, and the page hides those contents from the
 * eavesdropper view (the eavesdropper saw only TLS records).
 */
export const PROTECTED_DATA_NOTE = "TLS-protected (PROT P): on the wire only TLS records; the lab's client decrypted them";
