import assert from 'node:assert/strict';
import type { Loop } from '../../src/model/playbook.js';
import { VarScope } from '../../src/expr/index.js';
import { itemLabel, itemVars, LoopError, loopItems, loopPause } from '../../src/engine/loop-items.js';

const loop = (kind: Loop['kind'], items: unknown, extra: Partial<Loop> = {}): Loop => ({ kind, items, loopVar: 'item', extended: false, ...extra });

describe('engine/loop-items: the items of loop and with_*', () => {
  const vars = new VarScope([
    { kind: 'source', vars: { list: [1, [2, 3]], users: { alice: 1, bob: 2 }, tpl: ['{{ one }}'], one: 1 } },
    { kind: 'data', vars: { out: { stdout_lines: ['{{ one }}', 'x'] } } },
  ]);

  it('loop takes a list (rendered), nothing else', () => {
    assert.deepEqual(loopItems(loop('loop', '{{ list }}'), vars), [1, [2, 3]]);
    assert.deepEqual(loopItems(loop('loop', ['{{ one }}', 'b']), vars), [1, 'b']);
    assert.deepEqual(loopItems(loop('loop', '{{ tpl }}'), vars), [1]);
    assert.throws(() => loopItems(loop('loop', 'text'), vars), (e: Error) => e instanceof LoopError && /requires a list, got this instead: text/.test(e.message));
    assert.throws(() => loopItems(loop('loop', '{{ users }}'), vars), LoopError);
  });

  it('items from the host stay data: never rendered', () => {
    assert.deepEqual(loopItems(loop('loop', '{{ out.stdout_lines }}'), vars), ['{{ one }}', 'x']);
  });

  it('with_items flattens one level; with_list does not; a single value is a list of one', () => {
    assert.deepEqual(loopItems(loop('with_items', [[1, 2], 3, [[4]]]), vars), [1, 2, 3, [4]]);
    assert.deepEqual(loopItems(loop('with_items', 'one'), vars), ['one']);
    assert.deepEqual(loopItems(loop('with_list', [[1, 2], 3]), vars), [[1, 2], 3]);
  });

  it('with_dict, with_indexed_items, with_nested', () => {
    assert.deepEqual(loopItems(loop('with_dict', '{{ users }}'), vars), [{ key: 'alice', value: 1 }, { key: 'bob', value: 2 }]);
    assert.throws(() => loopItems(loop('with_dict', [1]), vars), /with_dict expects a dict/);
    assert.deepEqual(loopItems(loop('with_indexed_items', ['a', ['b']]), vars), [[0, 'a'], [1, 'b']]);
    assert.deepEqual(loopItems(loop('with_nested', [['a', 'b'], [1, 2]]), vars), [['a', 1], ['a', 2], ['b', 1], ['b', 2]]);
  });

  it('item variables: the item, its index, ansible_loop when extended', () => {
    const l = loop('loop', [], { loopVar: 'u', indexVar: 'i', extended: true });
    assert.deepEqual(itemVars(l, ['a', 'b', 'c'], 1), {
      u: 'b', ansible_loop_var: 'u', i: 1, ansible_index_var: 'i',
      ansible_loop: { index: 2, index0: 1, first: false, last: false, length: 3, revindex: 2, revindex0: 1, allitems: ['a', 'b', 'c'], previtem: 'a', nextitem: 'c' },
    });
    const first = itemVars(l, ['a'], 0).ansible_loop as Record<string, unknown>;
    assert.deepEqual([first.first, first.last, 'previtem' in first, 'nextitem' in first], [true, true, false, false]);
    assert.deepEqual(itemVars(loop('loop', []), ['x'], 0), { item: 'x', ansible_loop_var: 'item' });
  });

  it('labels and pauses are templates', () => {
    const scope = new VarScope([{ kind: 'data', vars: { item: { name: 'n1' }, secs: '2' } }]);
    assert.equal(itemLabel(loop('loop', [], { label: '{{ item.name }}' }), { name: 'n1' }, scope), 'n1');
    assert.equal(itemLabel(loop('loop', []), { name: 'n1' }, scope), '{"name":"n1"}');
    assert.equal(itemLabel(loop('loop', [], { label: '{{ nope }}' }), 'x', scope), 'x');
    assert.equal(loopPause(loop('loop', [], { pause: '{{ secs }}' }), scope), 2);
    assert.equal(loopPause(loop('loop', []), scope), 0);
    assert.throws(() => loopPause(loop('loop', [], { pause: 'soon' }), scope), /pause must be a number of seconds from 0 to 2000000, got soon/);
    assert.throws(() => loopPause(loop('loop', [], { pause: 3e6 }), scope), /pause must be a number of seconds/);
  });
});
