/**
 * Sentences callers typically say in the scripted responder's flows (see intents.ts and the
 * flows' questions), for biasing the offline speech recognizer towards them.
 */
export const CALLER_PHRASES: readonly string[] = [
  "I'm interested, I would like to get a quote",
  'Can someone contact me',
  'I would like to book an appointment',
  'Can I schedule a visit',
  'My name is John Smith',
  'You can reach me at five five five one two three four five six seven',
  'No it is five five five one two three four five six seven',
  "Yes that's right",
  "No that's wrong",
  'My email is john at example dot com',
  'I need a new website for my business',
  'About five thousand dollars',
  'Two thousand five hundred dollars',
  'Next month',
  'In two weeks',
  'Within three months',
  'Yes I am',
  'No I am not',
  'Tomorrow at ten in the morning',
  'Monday at two in the afternoon',
  'Tuesday at three o clock',
  'The second one',
  'Am I talking to a robot',
  'Are you a real person',
  'Never mind',
  "That's all, goodbye",
];
