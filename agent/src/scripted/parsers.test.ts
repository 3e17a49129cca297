import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstNumber, readDigitRun, readNumber } from './number-words.js';
import {
  mentionedName,
  parseContact,
  parseEmail,
  parseMoney,
  parseName,
  parsePhone,
  parseTimelineDays,
  parseYesNo,
} from './parsers.js';

describe('spoken numbers', () => {
  test('a number spelled in words reads as its value, and ends where the words stop', () => {
    const words = 'twenty five hundred dollars'.split(' ');
    assert.deepEqual(readNumber(words, 0), { value: 2500, end: 3 });
    assert.equal(readNumber('a hundred and five'.split(' '), 0)?.value, 105);
    assert.equal(readNumber('three million two thousand'.split(' '), 0)?.value, 3_002_000);
  });

  test('digits said one by one are separate numbers, not a sum', () => {
    assert.deepEqual(readNumber('five five'.split(' '), 0), { value: 5, end: 1 });
    assert.deepEqual(readNumber('ten thirty'.split(' '), 0), { value: 10, end: 1 });
  });

  test('the first number of a sentence is found in words or digits', () => {
    assert.equal(firstNumber('where is order forty two'), 42);
    assert.equal(firstNumber('order 1,042 please'), 1042);
    assert.equal(firstNumber('about 2.5 kilos'), 2.5);
    assert.equal(firstNumber('no number here'), undefined);
  });

  test('a phone number said digit by digit, with doubles and pairs, reads as its digits', () => {
    assert.equal(readDigitRun('oh two double seven thirty four'.split(' ')), '027734');
    assert.equal(readDigitRun('call five five five dash one two'.split(' ')), '55512');
  });
});

describe('contact details', () => {
  test('a spoken email address is written out', () => {
    assert.equal(parseEmail('john at example dot com'), 'john@example.com');
    assert.equal(parseEmail('it is jane dot doe at acme dot co dot uk'), 'jane.doe@acme.co.uk');
    assert.equal(parseEmail('my email is j o h n at gmail dot com'), 'john@gmail.com');
    assert.equal(parseEmail('john underscore smith at example dot org'), 'john_smith@example.org');
  });

  test('a typed email address is taken as it is, lower-cased', () => {
    assert.equal(parseEmail('sure: Jo.Smith@Example.com, thanks'), 'jo.smith@example.com');
  });

  test('"at" without an address after it is not an email address', () => {
    assert.equal(parseEmail('call me at five five five one two three four'), undefined);
    assert.equal(parseEmail('we are at the office'), undefined);
  });

  test('a phone number, spoken or typed, keeps its digits and a leading plus', () => {
    assert.equal(parsePhone('five five five one two three four'), '5551234');
    assert.equal(parsePhone('it is 555-123-4567'), '5551234567');
    assert.equal(parsePhone('+44 20 7946 0958'), '+442079460958');
    assert.equal(
      parsePhone('plus one four one five five five five zero one double two'),
      '+14155550122',
    );
  });

  test('too few digits are not a phone number', () => {
    assert.equal(parsePhone('five five five'), undefined);
    assert.equal(parsePhone('room 12'), undefined);
  });

  test('a contact answer is an email address if it holds one, else a phone number', () => {
    assert.deepEqual(parseContact('john at example dot com'), { email: 'john@example.com' });
    assert.deepEqual(parseContact('call me at five five five one two three four'), {
      phone: '5551234',
    });
    assert.equal(parseContact("I'd rather not say"), undefined);
  });
});

describe('money', () => {
  test('amounts in digits, with separators and shorthand, read as numbers', () => {
    assert.equal(parseMoney('$5,000'), 5000);
    assert.equal(parseMoney('about 2k'), 2000);
    assert.equal(parseMoney('around 10 grand'), 10_000);
    assert.equal(parseMoney('1.5 million'), 1_500_000);
  });

  test('amounts in words read as numbers', () => {
    assert.equal(parseMoney('five thousand dollars'), 5000);
    assert.equal(parseMoney('twenty five hundred'), 2500);
    assert.equal(parseMoney('a hundred thousand'), 100_000);
    assert.equal(parseMoney('maybe fifty k'), 50_000);
  });

  test('an answer without an amount is no budget', () => {
    assert.equal(parseMoney('not sure yet'), undefined);
  });
});

describe('timelines', () => {
  test('spans become days', () => {
    assert.equal(parseTimelineDays('next month'), 30);
    assert.equal(parseTimelineDays('in two weeks'), 14);
    assert.equal(parseTimelineDays('within 3 months'), 90);
    assert.equal(parseTimelineDays('in a couple of weeks'), 14);
    assert.equal(parseTimelineDays('six months from now'), 180);
    assert.equal(parseTimelineDays('next year'), 365);
  });

  test('the first span named wins', () => {
    assert.equal(parseTimelineDays('a month or two'), 30);
  });

  test('now-ish answers are zero days, tomorrow is one', () => {
    assert.equal(parseTimelineDays('right away'), 0);
    assert.equal(parseTimelineDays('as soon as possible'), 0);
    assert.equal(parseTimelineDays('tomorrow'), 1);
  });

  test('an answer without a time is no timeline', () => {
    assert.equal(parseTimelineDays('no idea'), undefined);
  });
});

describe('names', () => {
  test('a name answer is title-cased, without introductions or thanks', () => {
    assert.equal(parseName('john smith'), 'John Smith');
    assert.equal(parseName("it's Ana, thanks"), 'Ana');
    assert.equal(parseName('um john'), 'John');
    assert.equal(parseName('yes it is mary jane'), 'Mary Jane');
  });

  test('after "my name is", any words are the name, even ordinary ones', () => {
    assert.equal(parseName('my name is will'), 'Will');
    assert.equal(parseName('will'), undefined);
    assert.equal(parseName('will', { lenient: true }), 'Will');
  });

  test('sentences that are not names are refused', () => {
    assert.equal(parseName("I'm not sure"), undefined);
    assert.equal(parseName('what do you need it for'), undefined);
    assert.equal(parseName('I am interested'), undefined);
    assert.equal(parseName('room 101'), undefined);
    assert.equal(parseName('uh', { lenient: true }), undefined);
  });

  test('a name volunteered mid-sentence is picked up', () => {
    assert.equal(mentionedName('hi my name is ana and I want to book'), 'Ana');
    assert.equal(mentionedName('you can call me bob smith'), 'Bob Smith');
    assert.equal(mentionedName('hello there'), undefined);
  });
});

describe('yes or no', () => {
  test('agreement and ownership are yes', () => {
    assert.equal(parseYesNo('yes'), true);
    assert.equal(parseYesNo("I'm the owner"), true);
    assert.equal(parseYesNo('I do'), true);
  });

  test('refusals and someone else deciding are no, even after a yes-word', () => {
    assert.equal(parseYesNo('no, my boss decides'), false);
    assert.equal(parseYesNo('not me'), false);
    assert.equal(parseYesNo('yes but not alone'), false);
  });

  test('anything else is neither', () => {
    assert.equal(parseYesNo('maybe'), undefined);
  });
});
