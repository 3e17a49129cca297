import { splitWords } from './words.js';

export interface WordErrorCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Number of words in the reference. */
  referenceWords: number;
}

interface Cell {
  cost: number;
  substitutions: number;
  deletions: number;
  insertions: number;
}

const START: Cell = { cost: 0, substitutions: 0, deletions: 0, insertions: 0 };

function cheapest(cells: Cell[]): Cell {
  return cells.reduce((best, cell) => (cell.cost < best.cost ? cell : best));
}

/** Counts the edits that turn the reference's words into the hypothesis's (Levenshtein on words). */
export function countWordErrors(reference: string, hypothesis: string): WordErrorCounts {
  const ref = splitWords(reference);
  const hyp = splitWords(hypothesis);
  // previous[j]: cheapest alignment of the reference so far with the first j hypothesis words
  let previous: Cell[] = [START];
  for (let j = 0; j < hyp.length; j++) {
    const left = previous[previous.length - 1] ?? START;
    previous.push({ ...left, cost: left.cost + 1, insertions: left.insertions + 1 });
  }
  for (const refWord of ref) {
    const first = previous[0] ?? START;
    const current: Cell[] = [{ ...first, cost: first.cost + 1, deletions: first.deletions + 1 }];
    hyp.forEach((hypWord, j) => {
      const diagonal = previous[j] ?? START;
      const up = previous[j + 1] ?? START;
      const left = current[j] ?? START;
      const same = refWord === hypWord;
      current.push(
        cheapest([
          {
            ...diagonal,
            cost: diagonal.cost + (same ? 0 : 1),
            substitutions: diagonal.substitutions + (same ? 0 : 1),
          },
          { ...up, cost: up.cost + 1, deletions: up.deletions + 1 },
          { ...left, cost: left.cost + 1, insertions: left.insertions + 1 },
        ]),
      );
    });
    previous = current;
  }
  const last = previous[previous.length - 1] ?? START;
  return {
    substitutions: last.substitutions,
    deletions: last.deletions,
    insertions: last.insertions,
    referenceWords: ref.length,
  };
}

/** Word error rate of a hypothesis against a reference: edits / reference words. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const counts = countWordErrors(reference, hypothesis);
  const errors = counts.substitutions + counts.deletions + counts.insertions;
  if (counts.referenceWords === 0) return errors === 0 ? 0 : 1;
  return errors / counts.referenceWords;
}
