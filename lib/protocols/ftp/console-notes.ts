/**
 * Words the lab's FTP console uses when it quotes a file that crossed inside TLS (PROT P): the
 * quote is a note in the endpoint view only, since an eavesdropper saw nothing but TLS records.
 */
export const PROTECTED_DATA_NOTE = "TLS-protected (PROT P): on the wire only TLS records; the lab's client decrypted them";
