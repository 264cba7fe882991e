import { describe, expect, test } from 'vitest';
import { escapeCell, formatBytes, formatMs, formatQueries, formatSubopt, markdownTable } from '../../bench/quality/markdown.js';
import { parseCostDoc } from '../../bench/quality/estimatorDocs.js';

describe('markdownTable', () => {
  test('formats a header, an alignment rule and rows', () => {
    expect(markdownTable(['method', 'queries'], [['spsa', '5,604'], ['mezo', '—']], ['l', 'r'])).toBe(
      ['| method | queries |', '|---|---:|', '| spsa | 5,604 |', '| mezo | — |'].join('\n'),
    );
  });
  test('escapes pipes and newlines inside cells', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
    expect(markdownTable(['x'], [['|ĝ|']])).toContain('| \\|ĝ\\| |');
  });
  test('rejects ragged rows', () => {
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(RangeError);
  });
});

describe('number formatting', () => {
  test('queries, suboptimality, time and bytes', () => {
    expect(formatQueries(12345)).toBe('12,345');
    expect(formatQueries(null)).toBe('—');
    expect(formatSubopt(9.39e-4)).toBe('9.4e-4');
    expect(formatSubopt(0.478)).toBe('0.48');
    expect(formatSubopt(0)).toBe('0');
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatBytes(800)).toBe('800 B');
    expect(formatBytes(4096)).toBe('4.0 KiB');
  });
});

describe('parseCostDoc', () => {
  test('reads the documented cost lines of a TSDoc block', () => {
    const src = [
      '/**',
      ' * An estimator.',
      ' *',
      ' * Queries per step: 2q (central). Extra memory: 1× params (the buffer b) + 1× params',
      ' * transient. Value reported: the mean.',
      ' *',
      ' * @see a paper',
      ' */',
    ].join('\n');
    expect(parseCostDoc(src)).toEqual({ queriesPerStep: '2q (central).', extraMemory: '1× params (the buffer b) + 1× params transient.' });
    expect(parseCostDoc('/** nothing */')).toEqual({ queriesPerStep: '', extraMemory: '' });
  });
});
