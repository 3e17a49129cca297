import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvProblem, isBlankCsv } from './contacts-csv.js';

test('a header naming number or phone with contacts under it is sent as it is', () => {
  for (const text of [
    'number,name\n+14155550123,Ada\n',
    'name,phone,plan\r\nAda,+14155550123,gold\r\n',
    '\uFEFF"number","name"\n"+14155550123","Ada"',
    '\n\nnumber\n+14155550123\n\n',
  ]) {
    assert.equal(csvProblem(text), undefined, text);
  }
});

test('a CSV without a number column, or with only its header, is stopped with the line to fix', () => {
  assert.match(csvProblem('name,tel\nAda,+14155550123') ?? '', /number \(or phone\).*name,tel$/);
  // the server's columns are named exactly: "Number" is not "number"
  assert.match(csvProblem('Number,Name\n+14155550123,Ada') ?? '', /in lower case/);
  assert.match(csvProblem('+14155550123,Ada\n+14155550124,Grace') ?? '', /names the columns/);
  assert.match(csvProblem('number,name\n') ?? '', /only a header line/);
  assert.match(csvProblem('  \n') ?? '', /no contacts/);
});

test('blank text means no contacts given', () => {
  assert.equal(isBlankCsv(undefined), true);
  assert.equal(isBlankCsv(' \n\t'), true);
  assert.equal(isBlankCsv('number'), false);
});
