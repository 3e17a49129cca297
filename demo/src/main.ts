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
const roomLabel = required<HTMLSpanElement>('#room');
const errorLine = required<HTMLParagraphElement>('#error');
const options = required<HTMLFormElement>('#options');

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

voice.addEventListener('parley-request-start', () => {
  errorLine.hidden = true;
  roomLabel.textContent = '';
  log.replaceChildren();
  lines.clear();
  empty.hidden = false;
});

voice.addEventListener('parley-state', (event) => {
  stateLabel.textContent = event.detail.state;
});

voice.addEventListener('parley-connected', (event) => {
  roomLabel.textContent = `(room ${event.detail.roomName})`;
});

voice.addEventListener('parley-error', (event) => {
  errorLine.textContent = `${event.detail.code}: ${event.detail.message}`;
  errorLine.hidden = false;
});

// the options apply to the element's attributes, so the next call uses them
options.addEventListener('change', () => {
  const data = new FormData(options);
  voice.textOnly = data.get('text-only') === 'on';
  const theme = data.get('theme');
  voice.theme = theme === 'dark' || theme === 'auto' ? theme : 'light';
  voice.setAttribute('lang', String(data.get('lang') ?? 'en'));
});

// a client tool the agent can call (a LiveKit RPC method) once the agent learns client tools;
// the element is defined by /widget/parley-voice.js, which may still be on its way
void customElements.whenDefined('parley-voice').then(() => {
  voice.registerTool(
    'getPageTitle',
    { description: 'The title of the page the visitor is on', parameters: { type: 'object' } },
    () => ({ title: document.title }),
  );
});
