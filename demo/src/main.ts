// the element itself comes from /widget/parley-voice.js (see index.html); only its types are used here
import type { ParleyTranscriptDetail } from '@parley/widget';

function required<T extends Element>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`demo page is missing ${selector}`);
  return element;
}

const voice = required<HTMLElementTagNameMap['parley-voice']>('parley-voice');
const log = required<HTMLOListElement>('#log');
const empty = required<HTMLParagraphElement>('#log-empty');
const stateLabel = required<HTMLSpanElement>('#state');
const errorLine = required<HTMLParagraphElement>('#error');

/** One line per segment, updated in place until final. */
const lines = new Map<string, HTMLLIElement>();

function showSegment({ role, text, final, segmentId }: ParleyTranscriptDetail): void {
  let line = lines.get(segmentId);
  if (!line) {
    line = document.createElement('li');
    lines.set(segmentId, line);
    log.append(line);
    empty.hidden = true;
  }
  line.dataset['final'] = String(final);
  line.textContent = `${role === 'user' ? 'You' : 'Assistant'}: ${text}`;
}

voice.addEventListener('parley-transcript', (event) => showSegment(event.detail));

voice.addEventListener('parley-state', (event) => {
  stateLabel.textContent = event.detail.state;
  if (event.detail.state === 'requesting-microphone') {
    errorLine.hidden = true;
    log.replaceChildren();
    lines.clear();
    empty.hidden = false;
  }
});

voice.addEventListener('parley-error', (event) => {
  errorLine.textContent = `${event.detail.code}: ${event.detail.message}`;
  errorLine.hidden = false;
});
