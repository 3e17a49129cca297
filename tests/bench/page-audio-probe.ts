import type { Page } from 'playwright-core';
import type { ProbeLog } from '../support/audio-levels.js';

declare global {
  interface Window {
    parleyProbe: { log: ProbeLog; context: AudioContext; connections: RTCPeerConnection[] };
  }
}

/**
 * Installs, before any page script runs, a WebAudio meter on the microphone stream the widget
 * opens (`getUserMedia`) and on every remote audio track (`RTCPeerConnection` `track`). An
 * AudioWorklet measures each 10 ms of both streams on the audio thread of one AudioContext, so
 * the two share one clock; each window's context time is mapped to `performance.now()` through
 * `getOutputTimestamp()`, i.e. to when it is heard.
 */
export async function installAudioProbe(page: Page): Promise<void> {
  // Plain JavaScript source: a function passed to addInitScript would carry the TypeScript
  // loader's helpers (`__name`), which do not exist in the page.
  await page.addInitScript({ content: PROBE_SCRIPT });
}

const PROBE_SCRIPT = `(() => {
  const log = { mic: [], remote: [], states: [], timeOrigin: performance.timeOrigin };
  const connections = [];
  document.addEventListener('parley-state', (event) => {
    log.states.push([performance.now(), event.detail.state]);
  });
  const context = new AudioContext({ latencyHint: 'interactive' });
  window.parleyProbe = { log, context, connections };
  const meter = \`
    class ParleyMeter extends AudioWorkletProcessor {
      constructor() { super(); this.sum = 0; this.count = 0; this.start = -1; }
      process(inputs) {
        const samples = inputs[0] && inputs[0][0];
        if (!samples) return true;
        if (this.start < 0) this.start = currentTime;
        for (let i = 0; i < samples.length; i++) this.sum += samples[i] * samples[i];
        this.count += samples.length;
        if (this.count >= sampleRate / 100) {
          this.port.postMessage([this.start, Math.sqrt(this.sum / this.count)]);
          this.sum = 0; this.count = 0; this.start = -1;
        }
        return true;
      }
    }
    registerProcessor('parley-meter', ParleyMeter);\`;
  const loaded = context.audioWorklet.addModule(
    URL.createObjectURL(new Blob([meter], { type: 'application/javascript' })),
  );
  function tap(stream, into) {
    loaded.then(() => {
      const node = new AudioWorkletNode(context, 'parley-meter');
      node.port.onmessage = (event) => {
        const [contextTime, rms] = event.data;
        const stamp = context.getOutputTimestamp();
        const heardAt = stamp.performanceTime + (contextTime - stamp.contextTime) * 1000;
        into.push([heardAt, rms]);
      };
      // A worklet only runs while something pulls it: a muted path to the destination.
      const mute = context.createGain();
      mute.gain.value = 0;
      context.createMediaStreamSource(stream).connect(node).connect(mute).connect(context.destination);
    });
  }
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    if (stream.getAudioTracks().length > 0) tap(stream, log.mic);
    return stream;
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      super(config);
      connections.push(this);
      this.addEventListener('track', (event) => {
        if (event.track.kind !== 'audio') return;
        log.states.push([performance.now(), 'remote-track']);
        event.track.addEventListener('unmute', () => log.states.push([performance.now(), 'remote-unmute']));
        tap(new MediaStream([event.track]), log.remote);
      });
    }
  };
})();`;

export function probeLog(page: Page): Promise<ProbeLog> {
  return page.evaluate(() => window.parleyProbe.log);
}

/** What the page's own audio path adds to what the probe measures (see {@link receiverFigures}). */
export interface ReceiverFigures {
  /** Chromium's jitter buffer on the agent's audio: mean delay of the samples it played. */
  jitterBufferMs?: number;
  /** Its mean target delay over the call. */
  jitterBufferTargetMs?: number;
  /**
   * The probe's AudioContext latency (`baseLatency + outputLatency`): each window's time is when
   * it would be heard, so the probe's stamps of both streams are this much after the worklet ran.
   */
  outputLatencyMs: number;
}

/** Chromium's receive-side figures for the call's audio, read from `getStats()` at the end. */
export async function receiverFigures(page: Page): Promise<ReceiverFigures> {
  // No named functions inside: the TypeScript loader would wrap them in a helper the page lacks.
  const sums = await page.evaluate(async () => {
    const { context, connections } = window.parleyProbe;
    const totals = { delay: 0, target: 0, emitted: 0, latency: 0 };
    for (const connection of connections) {
      (await connection.getStats()).forEach((report: Record<string, unknown>) => {
        if (report.type !== 'inbound-rtp' || report.kind !== 'audio') return;
        totals.delay += Number(report.jitterBufferDelay ?? 0);
        totals.target += Number(report.jitterBufferTargetDelay ?? 0);
        totals.emitted += Number(report.jitterBufferEmittedCount ?? 0);
      });
    }
    totals.latency = context.baseLatency + (context.outputLatency || 0);
    return totals;
  });
  const perSample = (seconds: number) =>
    sums.emitted > 0 ? Math.round((seconds / sums.emitted) * 10_000) / 10 : undefined;
  return {
    jitterBufferMs: perSample(sums.delay),
    jitterBufferTargetMs: perSample(sums.target),
    outputLatencyMs: Math.round(sums.latency * 1000),
  };
}
