import { css, unsafeCSS } from 'lit';
import { LAUNCHER_CSS, THEME_CSS } from './launcher-look.js';

export const styles = [
  unsafeCSS(THEME_CSS),
  unsafeCSS(LAUNCHER_CSS),
  css`
    :host {
      display: inline-flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 0.75rem;
    }

    :host([hidden]) {
      display: none;
    }

    button,
    input {
      font: inherit;
      line-height: 1.2;
    }

    button {
      cursor: pointer;
      border-radius: 999px;
      border: 1px solid transparent;
      padding: 0.4rem 0.9rem;
    }

    button:focus-visible,
    input:focus-visible {
      outline: 2px solid transparent;
      box-shadow: var(--parley-focus-ring);
    }

    .panel {
      box-sizing: border-box;
      width: min(var(--parley-panel-width), calc(100vw - 2.5rem));
      background: var(--parley-surface);
      color: var(--parley-text);
      border: 1px solid var(--parley-border);
      border-radius: var(--parley-radius);
      box-shadow: 0 10px 30px rgb(0 0 0 / 0.12);
      padding: 0.9rem 1rem;
      display: flex;
      flex-direction: column;
      gap: 0.6rem;
    }

    .header,
    .controls,
    .composer,
    .actions {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }

    .status {
      flex: 1;
      margin: 0;
      font-weight: 600;
    }

    .timer {
      font-variant-numeric: tabular-nums;
      color: var(--parley-muted);
    }

    .indicator {
      width: 0.7rem;
      height: 0.7rem;
      border-radius: 50%;
      flex: none;
      background: var(--parley-muted);
    }

    .indicator[data-state='listening'],
    .indicator[data-state='thinking'],
    .indicator[data-state='speaking'] {
      background: var(--parley-accent);
    }

    .indicator[data-state='error'],
    .indicator[data-state='reconnecting'] {
      background: var(--parley-danger);
    }

    .indicator[data-state='speaking'],
    .indicator[data-state='listening'] {
      animation: parley-pulse 1.2s ease-in-out infinite;
    }

    .indicator[data-state='thinking'],
    .indicator[data-state='connecting'],
    .indicator[data-state='reconnecting'],
    .indicator[data-state='waiting-for-agent'] {
      animation: parley-blink 1s steps(2, start) infinite;
    }

    @keyframes parley-pulse {
      50% {
        transform: scale(1.5);
        opacity: 0.6;
      }
    }

    @keyframes parley-blink {
      50% {
        opacity: 0.3;
      }
    }

    .end {
      background: var(--parley-danger);
      color: var(--parley-on-danger);
      font-weight: 600;
    }

    .secondary {
      background: transparent;
      color: var(--parley-text);
      border-color: var(--parley-accent);
    }

    .secondary[aria-pressed='true'] {
      background: var(--parley-accent);
      color: var(--parley-on-accent);
    }

    .error {
      margin: 0;
      color: var(--parley-danger);
    }

    .meters {
      display: grid;
      grid-template-columns: auto 1fr;
      align-items: center;
      gap: 0.25rem 0.6rem;
      font-size: 0.85em;
      color: var(--parley-muted);
    }

    .meter {
      height: 0.4rem;
      border-radius: 999px;
      background: var(--parley-meter);
      overflow: hidden;
    }

    .meter > span {
      display: block;
      height: 100%;
      background: var(--parley-accent);
      transform-origin: left center;
      transform: scaleX(var(--level, 0));
      transition: transform 150ms linear;
    }

    .transcript {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: 16rem;
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
    }

    /* kept in the page while empty so screen readers already watch it when the first line arrives */
    .transcript.empty {
      margin-top: -0.6rem;
    }

    .line {
      margin: 0;
      line-height: 1.4;
    }

    .line[data-final='false'] {
      color: var(--parley-muted);
    }

    .speaker {
      font-weight: 600;
    }

    .controls {
      flex-wrap: wrap;
    }

    .composer {
      margin: 0;
      flex: 1 1 12rem;
      min-width: 0;
    }

    .composer input,
    .phone input {
      flex: 1;
      min-width: 0;
      padding: 0.45rem 0.7rem;
      border-radius: 8px;
      border: 1px solid var(--parley-border);
      background: var(--parley-surface);
      color: var(--parley-text);
    }

    .composer input::placeholder {
      color: var(--parley-muted);
      opacity: 1;
    }

    .phone,
    .phone form {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 0.4rem;
      margin: 0;
    }

    .phone p {
      margin: 0;
    }

    .phone input {
      align-self: stretch;
    }

    .hint {
      font-size: 0.85em;
      color: var(--parley-muted);
    }

    .consent {
      margin: 0;
      white-space: pre-line;
    }

    .send,
    .accept,
    .primary {
      background: var(--parley-accent);
      color: var(--parley-on-accent);
      font-weight: 600;
    }

    button:disabled,
    input:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }

    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      padding: 0;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
      border: 0;
    }

    @media (prefers-reduced-motion: reduce) {
      .indicator,
      .meter > span {
        transition: none;
        animation: none !important;
      }
    }
  `,
];
