import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TranscriptAssembler,
  readStreamHeader,
  type LocalParticipantView,
  type TranscriptSegment,
  type TranscriptStreamHeader,
} from './transcript-assembler.js';

const visitor: LocalParticipantView = { identity: 'visitor-1', trackSids: new Set(['TR_mic']) };

function header(
  streamId: string,
  segmentId: string,
  role: 'user' | 'agent',
  final = false,
): TranscriptStreamHeader {
  return { streamId, segmentId, role, final };
}

/** Keeps every non-empty update, like the controller forwarding them as events. */
function collect(updates: Array<TranscriptSegment | undefined>): TranscriptSegment[] {
  return updates.filter((update): update is TranscriptSegment => update !== undefined);
}

describe('readStreamHeader', () => {
  it('when the agent publishes the visitor transcript under its own identity, then the transcribed track makes it the user', () => {
    const result = readStreamHeader(
      {
        id: 'ST_1',
        attributes: {
          'lk.segment_id': 'SG_1',
          'lk.transcribed_track_id': 'TR_mic',
          'lk.transcription_final': 'false',
        },
      },
      'agent-7',
      visitor,
    );
    assert.deepEqual(result, { streamId: 'ST_1', segmentId: 'SG_1', role: 'user', final: false });
  });

  it('when the sender is the visitor, then it is the user even without a track id', () => {
    const result = readStreamHeader(
      { id: 'ST_2', attributes: { 'lk.segment_id': 'SG_2', 'lk.transcription_final': 'true' } },
      'visitor-1',
      visitor,
    );
    assert.deepEqual(result, { streamId: 'ST_2', segmentId: 'SG_2', role: 'user', final: true });
  });

  it("when the transcribed track is the agent's own, then it is the agent", () => {
    const result = readStreamHeader(
      {
        id: 'ST_3',
        attributes: { 'lk.segment_id': 'SG_3', 'lk.transcribed_track_id': 'TR_agent_voice' },
      },
      'agent-7',
      visitor,
    );
    assert.equal(result.role, 'agent');
    assert.equal(result.final, false);
  });

  it('when a stream has no segment id, then it is a segment of its own', () => {
    assert.equal(readStreamHeader({ id: 'ST_4' }, 'agent-7', visitor).segmentId, 'ST_4');
  });
});

describe('TranscriptAssembler', () => {
  it('when the agent streams deltas, then the text grows and the stream end makes it final', () => {
    const assembler = new TranscriptAssembler();
    assembler.open(header('ST_a', 'SG_a', 'agent'));
    const updates = collect([
      assembler.append('ST_a', 'Hello, '),
      assembler.append('ST_a', 'how can I '),
      assembler.append('ST_a', 'help?'),
      assembler.close('ST_a'),
    ]);
    assert.deepEqual(updates, [
      { segmentId: 'SG_a', role: 'agent', text: 'Hello, ', final: false },
      { segmentId: 'SG_a', role: 'agent', text: 'Hello, how can I ', final: false },
      { segmentId: 'SG_a', role: 'agent', text: 'Hello, how can I help?', final: false },
      { segmentId: 'SG_a', role: 'agent', text: 'Hello, how can I help?', final: true },
    ]);
  });

  it('when the visitor transcript arrives as interim streams then a final one, then each replaces the text and only the last is final', () => {
    const assembler = new TranscriptAssembler();
    const updates: Array<TranscriptSegment | undefined> = [];
    assembler.open(header('ST_1', 'SG_u', 'user'));
    updates.push(assembler.append('ST_1', 'what are'));
    updates.push(assembler.close('ST_1'));
    assembler.open(header('ST_2', 'SG_u', 'user'));
    updates.push(assembler.append('ST_2', 'what are your opening'));
    updates.push(assembler.close('ST_2'));
    assembler.open(header('ST_3', 'SG_u', 'user', true));
    updates.push(assembler.append('ST_3', 'what are your opening hours'));
    updates.push(assembler.close('ST_3'));
    assert.deepEqual(collect(updates), [
      { segmentId: 'SG_u', role: 'user', text: 'what are', final: false },
      { segmentId: 'SG_u', role: 'user', text: 'what are your opening', final: false },
      { segmentId: 'SG_u', role: 'user', text: 'what are your opening hours', final: true },
    ]);
    assert.deepEqual(assembler.segments, [
      { segmentId: 'SG_u', role: 'user', text: 'what are your opening hours', final: true },
    ]);
  });

  it('when an older interim stream delivers after a newer one opened, then its text is ignored', () => {
    const assembler = new TranscriptAssembler();
    assembler.open(header('ST_old', 'SG_u', 'user'));
    assembler.open(header('ST_new', 'SG_u', 'user'));
    assert.deepEqual(assembler.append('ST_new', 'book a table'), {
      segmentId: 'SG_u',
      role: 'user',
      text: 'book a table',
      final: false,
    });
    assert.equal(assembler.append('ST_old', 'book'), undefined);
    assert.equal(assembler.close('ST_old'), undefined);
    assert.equal(assembler.segments[0]?.text, 'book a table');
  });

  it('when a segment is final, then later streams for it do not change it', () => {
    const assembler = new TranscriptAssembler();
    assembler.open(header('ST_f', 'SG_u', 'user', true));
    assembler.append('ST_f', 'yes please');
    assembler.close('ST_f');
    assembler.open(header('ST_late', 'SG_u', 'user'));
    assert.equal(assembler.append('ST_late', 'yes'), undefined);
    assert.deepEqual(assembler.segments, [
      { segmentId: 'SG_u', role: 'user', text: 'yes please', final: true },
    ]);
  });

  it('keeps segments in the order they were first seen, across roles', () => {
    const assembler = new TranscriptAssembler();
    assembler.open(header('ST_1', 'SG_greeting', 'agent'));
    assembler.append('ST_1', 'Hi!');
    assembler.close('ST_1');
    assembler.open(header('ST_2', 'SG_question', 'user', true));
    assembler.append('ST_2', 'Are you open?');
    assembler.close('ST_2');
    assembler.open(header('ST_3', 'SG_answer', 'agent'));
    assembler.append('ST_3', 'Until six.');
    assert.deepEqual(
      assembler.segments.map((s) => [s.role, s.text, s.final]),
      [
        ['agent', 'Hi!', true],
        ['user', 'Are you open?', true],
        ['agent', 'Until six.', false],
      ],
    );
  });

  it('when a stream carries no text, then nothing is announced or listed', () => {
    const assembler = new TranscriptAssembler();
    assembler.open(header('ST_e', 'SG_e', 'agent'));
    assert.equal(assembler.append('ST_e', ''), undefined);
    assert.equal(assembler.close('ST_e'), undefined);
    assert.deepEqual(assembler.segments, []);
  });

  it('when chunks arrive for an unknown stream, then they are ignored', () => {
    const assembler = new TranscriptAssembler();
    assert.equal(assembler.append('nope', 'x'), undefined);
    assert.equal(assembler.close('nope'), undefined);
  });

  it('when more segments arrive than the cap, then the oldest are dropped', () => {
    const assembler = new TranscriptAssembler({ maxSegments: 2 });
    for (const id of ['1', '2', '3']) {
      assembler.open(header(`ST_${id}`, `SG_${id}`, 'agent'));
      assembler.append(`ST_${id}`, `line ${id}`);
      assembler.close(`ST_${id}`);
    }
    assert.deepEqual(
      assembler.segments.map((s) => s.segmentId),
      ['SG_2', 'SG_3'],
    );
    assert.throws(() => new TranscriptAssembler({ maxSegments: 0 }), RangeError);
  });

  it('when the visitor types a message, then it is listed as a final user segment between spoken ones', () => {
    const assembler = new TranscriptAssembler();
    assembler.open(header('ST_1', 'SG_1', 'agent'));
    assembler.append('ST_1', 'Hello!');
    assembler.close('ST_1');
    assert.deepEqual(assembler.add('TX_1', 'user', 'Do you ship?'), {
      segmentId: 'TX_1',
      role: 'user',
      text: 'Do you ship?',
      final: true,
    });
    // the same message is not listed twice, and empty text not at all
    assert.equal(assembler.add('TX_1', 'user', 'Do you ship?'), undefined);
    assert.equal(assembler.add('TX_2', 'user', ''), undefined);
    assert.deepEqual(
      assembler.segments.map((s) => [s.role, s.text]),
      [
        ['agent', 'Hello!'],
        ['user', 'Do you ship?'],
      ],
    );
  });
});
