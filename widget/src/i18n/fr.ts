import { launcherLabels } from './launcher-labels.js';
import type { Messages } from './messages.js';

export const fr: Messages = {
  lang: 'fr',
  launcher: launcherLabels.fr,
  panel: 'Appel vocal',
  status: {
    idle: '',
    'requesting-microphone': 'En attente de l’accès au micro…',
    connecting: 'Connexion…',
    'waiting-for-agent': 'En attente de l’assistant…',
    listening: 'À l’écoute',
    thinking: 'Réflexion…',
    speaking: 'L’assistant parle',
    reconnecting: 'Connexion perdue, reconnexion…',
    ended: 'Appel terminé',
    error: 'L’appel a échoué',
  },
  textReady: 'À vous',
  endCall: 'Raccrocher',
  mute: 'Couper le micro',
  holdToTalk: 'Maintenir pour parler',
  callDuration: 'Durée de l’appel',
  transcript: 'Transcription',
  you: 'Vous :',
  assistant: 'Assistant :',
  messageLabel: 'Message',
  messagePlaceholder: 'Écrivez un message…',
  send: 'Envoyer',
  turnOnSound: 'Activer le son',
  useText: 'Écrire plutôt',
  visitorLevel: 'Votre voix',
  agentLevel: 'Voix de l’assistant',
  errors: {
    unsupported_browser:
      'Les appels vocaux demandent une page sécurisée (https) et un navigateur avec micro.',
    microphone_denied:
      'L’accès au micro est bloqué. Autorisez-le pour ce site et réessayez, ou écrivez plutôt.',
    microphone_unavailable: 'Le micro n’a pas pu démarrer. Vous pouvez écrire plutôt.',
    server_unreachable: 'L’assistant vocal est injoignable. Réessayez plus tard.',
    invalid_response: 'L’assistant vocal a envoyé une réponse que cette page ne comprend pas.',
    connection_failed: 'Impossible de se connecter à l’assistant vocal. Réessayez plus tard.',
    connection_lost: 'La connexion avec l’assistant vocal a été perdue.',
    agent_unavailable: 'L’assistant vocal n’a pas répondu. Réessayez dans un instant.',
    internal: 'Un problème est survenu au démarrage de l’appel.',
  },
};
