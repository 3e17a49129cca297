import { launcherLabels } from './launcher-labels.js';
import type { Messages } from './messages.js';

export const fr: Messages = {
  lang: 'fr',
  launcher: launcherLabels.fr,
  panel: 'Appel vocal',
  status: {
    idle: '',
    consent: 'Avant de commencer',
    'requesting-microphone': 'En attente de l’accès au micro…',
    connecting: 'Connexion…',
    'waiting-for-agent': 'En attente de l’assistant…',
    listening: 'À l’écoute',
    thinking: 'Réflexion…',
    speaking: 'L’assistant parle',
    reconnecting: 'Connexion perdue, reconnexion…',
    ended: 'Appel terminé',
    'continued-on-phone': 'Appel poursuivi sur votre téléphone',
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
  retry: 'Réessayer',
  accept: 'Accepter',
  decline: 'Refuser',
  visitorLevel: 'Votre voix',
  agentLevel: 'Voix de l’assistant',
  phone: {
    offer: 'Continuer sur mon téléphone',
    label: 'Votre numéro de téléphone',
    hint: 'Au format international : + et l’indicatif du pays, par ex. +33612345678.',
    next: 'Continuer',
    cancel: 'Annuler',
    confirm: 'Nous allons appeler le {number} maintenant.',
    callMe: 'Appelez-moi',
    back: 'Changer de numéro',
    dialing: 'Appel de votre téléphone…',
    problems: {
      invalid_number:
        'Saisissez le numéro au format international : + et l’indicatif du pays, par ex. +33612345678.',
      phone_unreachable:
        'Votre téléphone n’a pas répondu. Vérifiez le numéro et réessayez, ou continuez ici.',
      phone_unavailable: 'Nous ne pouvons pas appeler de téléphone pour le moment. Continuez ici.',
      invalid_request: 'Ce numéro n’a pas été accepté. Vérifiez-le et réessayez, ou continuez ici.',
      do_not_call: 'Nous ne pouvons pas appeler ce numéro. Essayez-en un autre, ou continuez ici.',
      destination_not_allowed:
        'Nous ne pouvons pas appeler les numéros de ce pays. Essayez un autre numéro, ou continuez ici.',
      phone_call_limit:
        'Toutes nos lignes sont occupées. Réessayez dans quelques minutes, ou continuez ici.',
      continue_on_phone_disabled:
        'La suite sur votre téléphone n’est pas disponible pour cet appel. Vous pouvez continuer ici.',
    },
  },
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
    at_capacity: 'Tous nos agents sont occupés pour le moment. Réessayez dans un instant.',
    internal: 'Un problème est survenu au démarrage de l’appel.',
  },
};
