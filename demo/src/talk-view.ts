// the element itself comes from /widget/parley-voice.js (see index.html); only its types are used here
import type { ParleyTranscriptDetail } from '@parley/widget';
import { describeError } from './admin-api.js';
import { h, uniqueId } from './dom.js';
import { liveCallLatency } from './latency/live-call-latency.js';
import { viewSection, type StudioContext, type View } from './studio-context.js';

export interface TalkView extends View {
  /** Chooses the persona the next call talks to. */
  choose(personaId: string): void;
}

/**
 * Talk now: the real `<parley-voice>` element, embedded as a site would, talking to the chosen
 * persona; its live transcript, its state, and the latency of each turn as the call goes.
 */
export function talkView(context: StudioContext): TalkView {
  const { element, body } = viewSection('talk', 'Talk now');
  let personaId = 'default';

  const voice = document.createElement('parley-voice');
  voice.setAttribute('persona', personaId);
  voice.setAttribute('server', location.origin);
  voice.setAttribute('theme', 'auto');
  voice.setAttribute('variables', JSON.stringify({ page: 'studio' }));

  const pickerSlot = h('div', { class: 'picker-slot' });
  const textOnly = h('input', { type: 'checkbox', id: uniqueId('text-only') });
  textOnly.addEventListener('change', () => {
    voice.textOnly = textOnly.checked;
  });
  const stateLabel = h('span', { class: 'call-state' }, 'idle');
  const roomLabel = h('span', { class: 'call-room' });
  const errorLine = h('p', { class: 'error-line', role: 'alert', hidden: true });
  const transcript = h('ol', {
    class: 'live-transcript',
    'aria-live': 'polite',
    'aria-label': 'Transcript',
  });
  const emptyTranscript = h('p', { class: 'muted' }, 'Nothing said yet.');
  const latency = liveCallLatency(context);

  body.append(
    h(
      'p',
      { class: 'notice' },
      'Without cloud keys, replies come from a ',
      h('strong', {}, 'scripted'),
      ' responder driven by the persona (greeting, knowledge, flows) — not an LLM. Speech runs on this machine.',
    ),
    h(
      'div',
      { class: 'talk-layout' },
      h(
        'div',
        { class: 'talk-call' },
        h(
          'div',
          { class: 'talk-options' },
          pickerSlot,
          h(
            'div',
            { class: 'field field-check' },
            textOnly,
            h('label', { for: textOnly.id }, 'Text only (no microphone)'),
          ),
        ),
        voice,
        h('p', { class: 'call-status' }, 'State: ', stateLabel, ' ', roomLabel),
        errorLine,
      ),
      h(
        'section',
        { class: 'talk-transcript', 'aria-labelledby': 'talk-transcript-title' },
        h('h3', { id: 'talk-transcript-title' }, 'Live transcript'),
        transcript,
        emptyTranscript,
      ),
    ),
    h(
      'section',
      { class: 'talk-latency', 'aria-labelledby': 'talk-latency-title' },
      h('h3', { id: 'talk-latency-title' }, 'Latency per turn'),
      latency.element,
    ),
  );

  // --- live transcript: one line per segment, updated in place until final ---
  const lines = new Map<string, HTMLLIElement>();
  const showSegment = ({ role, text, final, segmentId }: ParleyTranscriptDetail) => {
    let line = lines.get(segmentId);
    if (!line) {
      line = h('li', { class: `line line-${role}` });
      lines.set(segmentId, line);
      transcript.append(line);
      emptyTranscript.hidden = true;
    }
    line.dataset['final'] = String(final);
    line.replaceChildren(
      h('span', { class: 'speaker' }, role === 'user' ? 'You' : 'Agent'),
      ` ${text}`,
    );
  };

  voice.addEventListener('parley-request-start', () => {
    errorLine.hidden = true;
    roomLabel.textContent = '';
    transcript.replaceChildren();
    lines.clear();
    emptyTranscript.hidden = false;
    latency.starting(personaId);
  });
  voice.addEventListener('parley-state', (event) => {
    stateLabel.textContent = event.detail.state;
  });
  voice.addEventListener('parley-transcript', (event) => showSegment(event.detail));
  voice.addEventListener('parley-connected', (event) => {
    roomLabel.textContent = `(room ${event.detail.roomName})`;
    latency.connected(event.detail.roomName);
  });
  voice.addEventListener('parley-ended', () => latency.ended());
  voice.addEventListener('parley-error', (event) => {
    errorLine.textContent = `${event.detail.code}: ${event.detail.message}`;
    errorLine.hidden = false;
  });

  // a client tool the agent can call (a LiveKit RPC method), as a site would register one
  void customElements.whenDefined('parley-voice').then(() => {
    voice.registerTool(
      'getPageTitle',
      { description: 'The title of the page the visitor is on', parameters: { type: 'object' } },
      () => ({ title: document.title }),
    );
  });

  const choose = (id: string) => {
    personaId = id;
    voice.setAttribute('persona', id);
  };

  /** A list of the tenant's personas when signed in; a free-text id otherwise. */
  const renderPicker = async () => {
    const id = uniqueId('talk-persona');
    const label = h('label', { for: id }, 'Persona');
    const personas = context.api ? await context.personas() : undefined;
    let control: HTMLInputElement | HTMLSelectElement;
    if (personas) {
      control = h('select', { id });
      control.append(
        ...personas.map((persona) =>
          h('option', { value: persona.id }, `${persona.name} (${persona.id})`),
        ),
      );
    } else {
      control = h('input', { id, type: 'text', autocomplete: 'off', spellcheck: 'false' });
    }
    control.value = personaId;
    control.addEventListener('change', () => choose(control.value.trim() || 'default'));
    pickerSlot.replaceChildren(h('div', { class: 'field' }, label, control));
  };

  return {
    element,
    choose,
    show() {
      renderPicker().catch((error: unknown) => {
        pickerSlot.replaceChildren(h('p', { class: 'error-line' }, describeError(error)));
      });
      latency.refresh();
    },
  };
}
