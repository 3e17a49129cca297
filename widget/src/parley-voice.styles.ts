import { css } from 'lit';

export const styles = css`
  :host {
    --parley-accent: #1d4ed8;
    --parley-on-accent: #ffffff;
    --parley-surface: #ffffff;
    --parley-text: #111827;
    --parley-muted: #4b5563;
    --parley-danger: #b91c1c;
    --parley-border: #d1d5db;
    --parley-radius: 12px;
    --parley-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --parley-panel-width: 22rem;
    --parley-focus-ring: 0 0 0 3px #ffffff, 0 0 0 5px #1d4ed8;
    --parley-z-index: 2147483000;

    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.75rem;
    font-family: var(--parley-font);
    color: var(--parley-text);
  }

  :host([hidden]) {
    display: none;
  }

  :host([floating]) {
    position: fixed;
    right: 1.25rem;
    bottom: 1.25rem;
    z-index: var(--parley-z-index);
    align-items: flex-end;
  }

  button {
    font: inherit;
    cursor: pointer;
    border-radius: 999px;
    border: 1px solid transparent;
    padding: 0.6rem 1.1rem;
    line-height: 1.2;
  }

  button:focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--parley-focus-ring);
  }

  .launcher {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    background: var(--parley-accent);
    color: var(--parley-on-accent);
    font-weight: 600;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.18);
    transition: transform 120ms ease;
  }

  .launcher:hover {
    transform: translateY(-1px);
  }

  .launcher svg {
    width: 1.1em;
    height: 1.1em;
    flex: none;
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

  .header {
    display: flex;
    align-items: center;
    gap: 0.6rem;
  }

  .status {
    flex: 1;
    margin: 0;
    font-weight: 600;
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

  .indicator[data-state='error'] {
    background: var(--parley-danger);
  }

  .indicator[data-state='speaking'],
  .indicator[data-state='listening'] {
    animation: parley-pulse 1.2s ease-in-out infinite;
  }

  .indicator[data-state='thinking'],
  .indicator[data-state='connecting'],
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
    color: #ffffff;
    font-weight: 600;
    padding: 0.4rem 0.9rem;
  }

  .secondary {
    align-self: flex-start;
    background: transparent;
    color: var(--parley-accent);
    border-color: currentColor;
    padding: 0.35rem 0.8rem;
  }

  .error {
    margin: 0;
    color: var(--parley-danger);
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

  @media (prefers-reduced-motion: reduce) {
    .launcher,
    .indicator {
      transition: none;
      animation: none !important;
    }

    .launcher:hover {
      transform: none;
    }
  }
`;
