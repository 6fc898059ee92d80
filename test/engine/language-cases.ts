/**
 * The corpus of the playbook-language differential test: each case is one play (on a host of its
 * own, so that a failure stops only that case) with loops, blocks, includes, imports or vars
 * files, and the task files it names. Tasks are named; those named show… print a message that
 * is compared too. Only steps that mean the same in both tools are used (debug, command, shell,
 * set_fact, assert, fail).
 */
export interface LanguageCase {
  name: string;
  /** The play's body, below `hosts:`, indented by two spaces. */
  body: string;
  /** Files beside the playbook (task files, vars files, imported playbooks). */
  files?: Record<string, string>;
  /**
   * The case fails its host: it runs in a playbook of its own, since a play whose hosts all
   * failed ends the run (in both tools).
   */
  fails?: boolean;
  /** Command-line flags for both tools (--tags…): the case runs in a playbook of its own. */
  args?: string[];
  /**
   * A difference that remains, with its reason: each tool's outcome for this case as the test
   * expects it (task status lines, as compared), so that a change on either side is seen.
   */
  known?: { reason: string; ansible: string[]; remedy: string[] };
}

const c = (name: string, body: string, files?: Record<string, string>): LanguageCase => ({ name, body, ...(files ? { files } : {}) });
const failing = (name: string, body: string): LanguageCase => ({ name, body, fails: true });

export const LANGUAGE_CASES: LanguageCase[] = [
  c('loop with when per item and register', `
  tasks:
    - name: run
      command: echo {{ item }}
      loop: [a, b, c]
      when: item != 'b'
      register: r
    - name: show items
      debug: { msg: "{{ r.results | map(attribute='item') | list }}" }
    - name: show stdout
      debug: { msg: "{{ r.results | selectattr('stdout', 'defined') | map(attribute='stdout') | list }}" }
    - name: show skipped
      debug: { msg: "{{ r.results | select('skipped') | list | length }} {{ r.changed }} {{ r.results | length }}" }`),
  c('loop_control: loop_var, index_var, label, extended, pause', `
  tasks:
    - name: each
      debug: { msg: "{{ x.n }}" }
      loop: [{ n: one }, { n: two }, { n: three }]
      loop_control: { loop_var: x, index_var: i, label: "{{ x.n }}", extended: true, pause: 0 }
      register: r
    - name: show indexes
      debug: { msg: "{{ r.results | map(attribute='i') | list }} {{ r.results | map(attribute='ansible_loop_var') | list }}" }
    - name: show loop info
      debug: { msg: "{{ r.results | map(attribute='ansible_loop') | map(attribute='index') | list }} {{ r.results[2].ansible_loop.last }} {{ r.results[0].ansible_loop.first }} {{ r.results[1].ansible_loop.previtem }} {{ r.results[1].ansible_loop.revindex0 }}" }`),
  c('with_items flattens one level, with_list does not', `
  tasks:
    - name: items
      debug: { msg: "{{ item }}" }
      with_items: [[1, 2], 3, [[4]]]
      register: w
    - name: list
      debug: { msg: "{{ item }}" }
      with_list: [[1, 2], 3]
      register: l
    - name: show
      debug: { msg: "{{ w.results | map(attribute='item') | list }} / {{ l.results | map(attribute='item') | list }}" }`),
  c('with_dict, with_indexed_items, with_nested', `
  vars:
    users: { alice: 1000, bob: 1001 }
  tasks:
    - name: dict
      debug: { msg: "{{ item.key }}={{ item.value }}" }
      with_dict: "{{ users }}"
      register: d
    - name: indexed
      debug: { msg: "{{ item }}" }
      with_indexed_items: [a, b]
      register: i
    - name: nested
      debug: { msg: "{{ item }}" }
      with_nested: [[a, b], [1, 2]]
      register: n
    - name: show
      debug: { msg: "{{ d.results | map(attribute='msg') | list }} {{ i.results | map(attribute='item') | list }} {{ n.results | map(attribute='item') | list }}" }`),
  c('an empty loop is skipped; a loop over text is an error', `
  vars: { nothing: [] }
  tasks:
    - name: empty
      debug: { msg: x }
      loop: "{{ nothing }}"
      register: e
    - name: show empty
      debug: { msg: "{{ e.skipped }} {{ e.results | length }} {{ e.changed }}" }
    - name: text
      debug: { msg: x }
      loop: "not a list"
      ignore_errors: true
    - name: all skipped
      debug: { msg: x }
      loop: [1, 2]
      when: false`),
  c('a loop over a registered loop\'s results; failed_when per item; dict2items; handlers', `
  vars: { limits: { nofile: 1024, nproc: 64 } }
  tasks:
    - name: probe
      shell: test {{ item }} -lt 3
      loop: [1, 2, 3, 4]
      register: probe
      failed_when: false
    - name: passing
      debug: { msg: "{{ item.item }}" }
      loop: "{{ probe.results }}"
      loop_control: { label: "{{ item.item }}" }
      when: item.rc == 0
      register: passing
    - name: show which
      debug: { msg: "{{ passing.results | rejectattr('skipped', 'defined') | map(attribute='msg') | list }} {{ passing.results | select('skipped') | list | length }}" }
    - name: each limit
      command: echo {{ item.key }}={{ item.value }}
      loop: "{{ limits | dict2items }}"
      failed_when: item.value < 100
      ignore_errors: true
      notify: limits changed
  handlers:
    - name: limits changed
      debug: { msg: handled }`),
  c('until and retries per item', `
  vars:
    # A counter file per tool (both run at the same time): remedy_play is remedy's own variable.
    counter: "/tmp/remedy-lang-until-{{ 'remedy' if remedy_play is defined else 'ansible' }}"
  tasks:
    - name: reset
      shell: rm -f {{ counter }}-*
    - name: count up
      shell: n=$(cat {{ counter }}-{{ item }} 2>/dev/null || echo 0); echo $((n+1)) > {{ counter }}-{{ item }}; echo $((n+1))
      loop: [a, b]
      register: c
      until: c.stdout | int >= 2
      retries: 3
      delay: 0
    - name: show attempts
      debug: { msg: "{{ c.results | map(attribute='attempts') | list }} {{ c.results | map(attribute='stdout') | list }}" }`),
  c('loop items from a host stay data', `
  tasks:
    - name: print braces
      shell: printf '%s\\n' '{{ "{{" }} lookup_me {{ "}}" }}' plain
      register: out
    - name: each line
      debug: { msg: "{{ item }}" }
      loop: "{{ out.stdout_lines }}"
      register: lines
    - name: show lines
      debug: { msg: "{{ lines.results | map(attribute='msg') | list }}" }`),
  failing('a failing item: every item still runs, the task fails', `
  tasks:
    - name: test each
      command: test {{ item }} -ne 2
      loop: [1, 2, 3]
      register: r
      ignore_errors: true
    - name: show rc
      debug: { msg: "{{ r.results | map(attribute='rc') | list }} {{ r.failed }} {{ r is failed }}" }
    - name: fail each
      command: test {{ item }} -ne 2
      loop: [1, 2, 3]
    - name: not reached
      debug: { msg: x }`),
  c('set_fact in a loop accumulates; changed_when per item', `
  vars: { acc: [] }
  tasks:
    - name: collect
      set_fact: { acc: "{{ acc + [item * 2] }}" }
      loop: [1, 2, 3]
    - name: show acc
      debug: { msg: "{{ acc }}" }
    - name: changed per item
      command: echo {{ item }}
      loop: [1, 2]
      changed_when: item == 2
      register: ch
    - name: show changed
      debug: { msg: "{{ ch.results | map(attribute='changed') | list }} {{ ch.changed }}" }`),
  c('block: rescue handles a failure, always runs, the host goes on', `
  tasks:
    - name: outer
      block:
        - name: will fail
          command: "false"
        - name: never
          debug: { msg: never }
      rescue:
        - name: show rescue
          debug: { msg: "{{ ansible_failed_task.name }} {{ ansible_failed_result.rc }} {{ ansible_failed_result.failed }}" }
      always:
        - name: show always
          debug: { msg: always }
    - name: show after
      debug: { msg: after }`),
  failing('block without rescue: always runs, then the host fails', `
  tasks:
    - block:
        - name: will fail
          command: "false"
      always:
        - name: show always
          debug: { msg: always }
    - name: never
      debug: { msg: never }`),
  failing('a rescue that fails fails the host', `
  tasks:
    - block:
        - name: will fail
          command: "false"
      rescue:
        - name: fails too
          fail: { msg: again }
      always:
        - name: show always
          debug: { msg: always }
    - name: never
      debug: { msg: never }`),
  c('block when, vars and ignore_errors apply to its tasks; when is evaluated per task', `
  vars: { go: true, who: play }
  tasks:
    - name: guarded
      when: go
      vars: { who: block }
      ignore_errors: true
      block:
        - name: show who
          debug: { msg: "{{ who }}" }
        - name: show own vars
          debug: { msg: "{{ who }}" }
          vars: { who: task }
        - name: ignored failure
          command: "false"
        - name: stop
          set_fact: { go: false }
        - name: now skipped
          debug: { msg: x }
      always:
        - name: always skipped too
          debug: { msg: y }
    - name: switched off
      when: false
      block:
        - name: skipped
          debug: { msg: z }
      rescue:
        - name: rescue not run
          debug: { msg: r }`),
  c('nested blocks: the inner rescue handles, the outer goes on', `
  tasks:
    - name: outer
      block:
        - name: inner
          block:
            - name: inner fails
              command: "false"
          rescue:
            - name: show inner rescue
              debug: { msg: inner rescued }
        - name: show outer goes on
          debug: { msg: outer }
      rescue:
        - name: outer rescue not run
          debug: { msg: no }`),
  c('include_tasks with vars, a false when, a templated file name', `
  vars: { which: inc-a }
  tasks:
    - name: include a
      include_tasks: inc-a.yml
      vars: { n: 5 }
    - name: include skipped
      include_tasks: inc-a.yml
      when: false
    - name: include by name
      include_tasks: "{{ which }}.yml"
      vars: { n: 7 }`, {
    'inc-a.yml': '- name: show inc a\n  debug: { msg: "inc a {{ n }}" }\n',
  }),
  c('include_tasks in a loop, nested include with the outer item', `
  tasks:
    - name: per user
      include_tasks: inc-user.yml
      loop: [alice, bob]
      loop_control: { loop_var: user }`, {
    'inc-user.yml': [
      '- name: show user',
      '  debug: { msg: "user {{ user }}" }',
      '- name: per key',
      '  include_tasks: inc-key.yml',
      '  loop: [1, 2]',
      '',
    ].join('\n'),
    'inc-key.yml': '- name: show key\n  debug: { msg: "{{ user }} key {{ item }}" }\n',
  }),
  c('import_tasks: its when is evaluated per imported task; include_tasks: once', `
  vars: { flag: true }
  tasks:
    - name: imported
      import_tasks: flip.yml
      when: flag
    - name: reset
      set_fact: { flag: true }
    - name: included
      include_tasks: flip.yml
      when: flag`, {
    'flip.yml': [
      '- name: show first',
      '  debug: { msg: first }',
      '- name: flip',
      '  set_fact: { flag: false }',
      '- name: show second',
      '  debug: { msg: second }',
      '',
    ].join('\n'),
  }),
  c('vars_files win over play vars; later files win', `
  vars: { a: play, b: play, c: play }
  vars_files: [vars-1.yml, vars-2.yml]
  tasks:
    - name: show vars
      debug: { msg: "{{ a }} {{ b }} {{ c }}" }`, {
    'vars-1.yml': 'a: one\nb: one\n',
    'vars-2.yml': 'b: two\n',
  }),
  {
    name: 'a task file that cannot be read fails the host, even under ignore_errors',
    body: `
  tasks:
    - name: include missing
      include_tasks: "{{ 'missing' }}.yml"
      ignore_errors: true
    - name: never
      debug: { msg: never }`,
    fails: true,
    known: {
      reason: 'ansible-playbook reports the include task twice (ok when it is evaluated, then failed when its file cannot be '
        + 'loaded); remedy reports it once, failed: one task, one step',
      ansible: ['include missing ok', 'include missing failed'],
      remedy: ['include missing failed'],
    },
  },
  c('ignore_errors on a block; the included tasks inherit the block when, not the include when', `
  vars: { enabled: true }
  tasks:
    - name: b
      when: enabled
      block:
        - name: inc
          include_tasks: off.yml
          when: enabled`, {
    'off.yml': [
      '- name: turn off',
      '  set_fact: { enabled: false }',
      '- name: show after off',
      '  debug: { msg: still }',
      '',
    ].join('\n'),
  }),
  {
    name: '--tags: inside blocks (their tags handed down), on includes, inside the files they read',
    args: ['--tags', 't'],
    body: `
  tasks:
    - block:
        - { name: show tagged, debug: { msg: one }, tags: t }
        - { name: untagged, debug: { msg: two } }
    - { name: inc, include_tasks: tagged-inc.yml, tags: t }
    - { name: inc untagged, include_tasks: tagged-inc.yml }
    - name: tagged block
      tags: [t]
      block:
        - { name: include in block, include_tasks: tagged-inc.yml }`,
    files: { 'tagged-inc.yml': '- { name: show in tagged, debug: { msg: three }, tags: t }\n- { name: show in untagged, debug: { msg: four } }\n' },
  },
];
