import { LitElement, type PropertyDeclarations } from 'lit';
import { parseVariables, type Position, type Theme, type Variables } from './attributes.js';

const variablesConverter = {
  fromAttribute: parseVariables,
  toAttribute: (value: Variables) => JSON.stringify(value),
};

/**
 * The attributes of `<parley-voice>` and their properties, apart from its behaviour
 * (`parley-voice.ts`) to keep each file readable.
 */
export class ParleyVoiceAttributes extends LitElement {
  /*
   * Reactive properties are declared with `static properties` rather than decorators: lowering
   * standard decorators costs the bundle about a kilobyte gzip, and the budget is tight.
   */
  static override properties: PropertyDeclarations = {
    persona: { attribute: 'persona' },
    server: { attribute: 'server' },
    label: { attribute: 'label' },
    position: { attribute: 'position', reflect: true },
    theme: { attribute: 'theme', reflect: true },
    accent: { attribute: 'accent' },
    language: { attribute: 'lang' },
    variables: { attribute: 'variables', converter: variablesConverter },
    startMuted: { attribute: 'start-muted', type: Boolean },
    textOnly: { attribute: 'text-only', type: Boolean, reflect: true },
    pushToTalk: { attribute: 'push-to-talk', type: Boolean },
    agentTimeout: { attribute: 'agent-timeout', type: Number },
  };

  /** Id of the persona to talk to. Attribute `persona`, default `default`. */
  declare persona: string;
  /** Base URL of the Parley server, e.g. `https://parley.example.com`; empty means same origin. */
  declare server: string;
  /** Text of the launcher button; empty means the language's default ("Talk to us"). */
  declare label: string;
  /** `inline` where the element is, or pinned to the `bottom-right` / `bottom-left` corner. */
  declare position: Position;
  /** `light` (default), `dark`, or `auto` (follows the visitor's `prefers-color-scheme`). */
  declare theme: Theme;
  /** Accent colour; sets `--parley-accent`, and `--parley-on-accent` for hex and rgb() colours. */
  declare accent: string;
  /** Attribute `lang`: language of the widget's words; else the page's `lang`, else English. */
  declare language: string;
  /** JSON object sent with the session request; the agent receives it as `variables`. */
  declare variables: Variables;
  /** Attribute `start-muted`: the microphone starts muted. */
  declare startMuted: boolean;
  /** Attribute `text-only`: no microphone; the visitor types and reads the answers. */
  declare textOnly: boolean;
  /** Attribute `push-to-talk`: the microphone is live only while the talk button is held. */
  declare pushToTalk: boolean;
  /** Attribute `agent-timeout`: seconds to wait for the agent before `agent_unavailable`. */
  declare agentTimeout: number;

  constructor() {
    super();
    this.persona = 'default';
    this.server = '';
    this.label = '';
    this.position = 'inline';
    this.theme = 'light';
    this.accent = '';
    this.language = '';
    this.variables = {};
    this.startMuted = false;
    this.textOnly = false;
    this.pushToTalk = false;
    this.agentTimeout = 30;
  }
}
