import { parseExpressionAt, type Expression } from 'acorn';
import { SpecError } from '../spec-error.ts';

/**
 * A trends formula over series letters (`"A / B * 100"`): parsed once with acorn into a small tree
 * of numbers, letters and the operators `+ - * / % **`, then evaluated per period with plain
 * arithmetic. Nothing is ever handed to `eval` or `Function`, so a formula cannot run code.
 */
export type FormulaNode =
  | { type: 'number'; value: number }
  | { type: 'series'; index: number; letter: string }
  | { type: 'negate'; operand: FormulaNode }
  | { type: 'binary'; operator: FormulaOperator; left: FormulaNode; right: FormulaNode };

export type FormulaOperator = '+' | '-' | '*' | '/' | '%' | '**';

const OPERATORS: readonly string[] = ['+', '-', '*', '/', '%', '**'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The letter of the series at `index` (0 → `A`). */
export function seriesLetter(index: number): string {
  return LETTERS[index];
}

function toNode(kind: string, expression: Expression, seriesCount: number, text: string): FormulaNode {
  const at = (node: { start: number }) => `at character ${node.start + 1}`;
  const fail = (problem: string): never => { throw new SpecError(kind, `formula ${JSON.stringify(text)}: ${problem}`, 'formula'); };
  switch (expression.type) {
    case 'Literal':
      if (typeof expression.value !== 'number') fail(`only numbers, series letters and + - * / % ** ( ) are allowed, not ${expression.raw} ${at(expression)}`);
      return { type: 'number', value: expression.value as number };
    case 'Identifier': {
      const letter = expression.name.toUpperCase();
      const index = LETTERS.indexOf(letter);
      if (letter.length !== 1 || index < 0) fail(`"${expression.name}" ${at(expression)} is not a series letter (A, B, ...)`);
      if (index >= seriesCount) {
        fail(`there is no series ${letter} (the spec has ${seriesCount} series: ${LETTERS.slice(0, seriesCount).split('').join(', ')})`);
      }
      return { type: 'series', index, letter };
    }
    case 'UnaryExpression':
      if (expression.operator !== '-' && expression.operator !== '+') fail(`"${expression.operator}" ${at(expression)} is not allowed`);
      {
        const operand = toNode(kind, expression.argument, seriesCount, text);
        return expression.operator === '-' ? { type: 'negate', operand } : operand;
      }
    case 'BinaryExpression':
      if (!OPERATORS.includes(expression.operator) || expression.left.type === 'PrivateIdentifier') {
        fail(`"${expression.operator}" ${at(expression)} is not allowed (operators: + - * / % **)`);
      }
      return {
        type: 'binary', operator: expression.operator as FormulaOperator,
        left: toNode(kind, expression.left as Expression, seriesCount, text), right: toNode(kind, expression.right, seriesCount, text),
      };
    default:
      return fail(`only numbers, series letters and + - * / % ** ( ) are allowed ${at(expression)}`);
  }
}

/**
 * Parses a formula over `seriesCount` series, or throws a `SpecError` that says what is wrong
 * and where (an unknown letter, a function call, a syntax error).
 *
 * @example
 * parseFormula('trends', 'A / B * 100', 2) // { type: 'binary', operator: '*', ... }
 */
export function parseFormula(kind: string, text: string, seriesCount: number): FormulaNode {
  if (text.trim() === '') throw new SpecError(kind, 'formula is empty: write it over the series letters, like "A / B * 100"', 'formula');
  let expression: Expression;
  try {
    expression = parseExpressionAt(text, 0, { ecmaVersion: 2022 });
  } catch (error) {
    const message = (error as Error).message.replace(/ \(\d+:\d+\)$/, '');
    throw new SpecError(kind, `formula ${JSON.stringify(text)} cannot be read: ${message}`, 'formula');
  }
  if (text.slice(expression.end).trim() !== '') {
    throw new SpecError(kind, `formula ${JSON.stringify(text)}: unexpected "${text.slice(expression.end).trim()}" at character ${expression.end + 1}`, 'formula');
  }
  return toNode(kind, expression, seriesCount, text);
}

/**
 * Evaluates a parsed formula with the series' values of one period (`values[0]` is A). Division
 * and remainder by zero give 0 (as PostHog's formulas do); any other result that is not a finite
 * number (an overflow, a root of a negative number) is null.
 *
 * @example
 * evaluateFormula(parseFormula('trends', 'A / B * 100', 2), [5, 20]) // 25
 */
export function evaluateFormula(node: FormulaNode, values: readonly number[]): number | null {
  const value = evaluate(node, values);
  return Number.isFinite(value) ? value : null;
}

function evaluate(node: FormulaNode, values: readonly number[]): number {
  switch (node.type) {
    case 'number': return node.value;
    case 'series': return values[node.index] ?? 0;
    case 'negate': return -evaluate(node.operand, values);
    case 'binary': {
      const left = evaluate(node.left, values);
      const right = evaluate(node.right, values);
      switch (node.operator) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        case '/': return right === 0 ? 0 : left / right;
        case '%': return right === 0 ? 0 : left % right;
        case '**': return left ** right;
      }
    }
  }
}
