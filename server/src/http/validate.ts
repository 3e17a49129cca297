/** A request's body or query, parsed by its schema: a bad one is answered `invalid_request`. */
export { parseInput as parseBody } from '../domain-errors.js';
