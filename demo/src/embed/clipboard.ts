/**
 * Copies the text of a (read-only) textarea. The Clipboard API needs a secure context and the
 * page's permission; without it the text is selected and the older copy command tried, and if
 * that fails too the selection stays for the visitor to copy by hand.
 */
export async function copyFrom(source: HTMLTextAreaElement): Promise<'copied' | 'selected'> {
  try {
    await navigator.clipboard.writeText(source.value);
    return 'copied';
  } catch {
    // no Clipboard API here (or no permission): fall back to the selection below
  }
  source.focus();
  source.select();
  // execCommand is deprecated but remains the only copy path outside secure contexts
  return document.execCommand('copy') ? 'copied' : 'selected';
}
