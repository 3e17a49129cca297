import { llm } from '@livekit/agents';
import { CaptureLeadArgsSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { modelArguments } from './model-arguments.js';

const lead = modelArguments('capture_lead', CaptureLeadArgsSchema);

/** The message of the ToolError `fn` throws. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof llm.ToolError);
    return error.message;
  }
  assert.fail('the arguments should have been refused');
}

describe('modelArguments', () => {
  test('when shown to a model, then every field is required and the optional ones may be null', () => {
    const { required, properties } = lead.parameters as {
      required: string[];
      properties: Record<string, { anyOf?: { type: string }[]; type?: unknown }>;
    };
    assert.ok(required.includes('name') && required.includes('email'));
    assert.deepEqual(
      properties.email?.anyOf?.map((s) => s.type),
      ['string', 'null'],
    );
    assert.equal(properties.name?.type, 'string');
    assert.equal('$schema' in lead.parameters, false);
  });

  test('when a model sends null for optional fields, then they count as not given', () => {
    const sent = { name: 'Ada', email: null, budget: null, isDecisionMaker: null, need: 'a bot' };
    assert.equal(
      CaptureLeadArgsSchema.safeParse(sent).success,
      false,
      'the contract alone refuses',
    );
    assert.deepEqual(lead.parse(sent), { name: 'Ada', need: 'a bot' });
  });

  test('when a required field is null or a field has the wrong type, then the model hears which', () => {
    assert.equal(
      refusal(() => lead.parse({ name: null })),
      'Invalid arguments for capture_lead: name: Required',
    );
    assert.equal(
      refusal(() => lead.parse({ name: 'Ada', budget: 'lots' })),
      'Invalid arguments for capture_lead: budget: Expected number, received string',
    );
  });
});
