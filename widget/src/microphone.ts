import {
  MediaDeviceFailure,
  createLocalAudioTrack,
  isBrowserSupported,
  type LocalAudioTrack,
} from 'livekit-client';
import { SessionError } from './session-error.js';

/**
 * Opens the microphone — the permission prompt — before any session is requested, so a refusal
 * costs no room and no agent job. Rejects with a {@link SessionError} the visitor can act on.
 */
export async function openMicrophone(): Promise<LocalAudioTrack> {
  // getUserMedia exists only in secure contexts; LiveKit needs WebRTC
  if (!window.isSecureContext || !isBrowserSupported() || !navigator.mediaDevices) {
    throw new SessionError(
      'unsupported_browser',
      'Voice calls need a secure (https) page in a browser with microphone support.',
    );
  }
  try {
    return await createLocalAudioTrack({
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    });
  } catch (cause) {
    switch (MediaDeviceFailure.getFailure(cause)) {
      case MediaDeviceFailure.PermissionDenied:
        throw new SessionError(
          'microphone_denied',
          'Microphone access was blocked. Allow it for this site in your browser, then try again.',
          { cause },
        );
      case MediaDeviceFailure.NotFound:
        throw new SessionError('microphone_unavailable', 'No microphone was found.', { cause });
      case MediaDeviceFailure.DeviceInUse:
        throw new SessionError(
          'microphone_unavailable',
          'The microphone is in use by another application.',
          { cause },
        );
      default:
        throw new SessionError('microphone_unavailable', 'The microphone could not be started.', {
          cause,
        });
    }
  }
}
