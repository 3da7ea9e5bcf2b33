/**
 * A scripted fault's title ("DATA is refused with 554", "The SSH host key changes") as the what-if
 * question a lesson asks: its first letter lowered unless the first word is an acronym or a command
 * ("What if dATA…" read as a typo on the projector).
 */
export function whatIfQuestion(title: string): string {
  const text = title.trim().replace(/[.]$/, '');
  const first = text.split(/\s/, 1)[0] ?? '';
  const keepsCase = first.length > 1 && first === first.toUpperCase();
  return `What if ${keepsCase ? text : text.charAt(0).toLowerCase() + text.slice(1)}?`;
}
