#!/usr/bin/python3
"""The reference for remedy's template language: ansible-core's own Templar.

Reads a JSON list of cases on stdin, each {"kind": "template" | "condition", "text": ..., "vars": {...}},
and prints one JSON line: for each case {"value": <typed>} or {"error": "<class>: <message>"}.
A template is rendered as a task argument is (Templar(...).template(text), jinja2_native off, the
default); a condition is evaluated as a task's `when` is (Conditional.evaluate_conditional).

Typed values keep what JSON would lose: a float is {"float": x}, a tuple {"tuple": [...]}, a dict
{"dict": [[key, value], ...]} (keys keep their type), an int beyond 2**53 {"bigint": "digits"},
anything else {"other": type name, "repr": repr}.

Run with Debian's /usr/bin/python3 (python3-jinja2, ansible-core 2.14), never a pyenv python.
"""
import json
import math
import os
import sys
import tempfile

# An empty configuration, so that no ansible.cfg of the machine or the working directory applies.
_config_dir = tempfile.mkdtemp(prefix='remedy-jinja-')
with open(os.path.join(_config_dir, 'ansible.cfg'), 'w'):
    pass
os.environ['ANSIBLE_CONFIG'] = os.path.join(_config_dir, 'ansible.cfg')
os.environ['ANSIBLE_LOCAL_TEMP'] = _config_dir
os.environ['ANSIBLE_NOCOLOR'] = '1'

from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.playbook.conditional import Conditional  # noqa: E402
from ansible.template import Templar  # noqa: E402


def typed(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, str):
        return str(v)
    if isinstance(v, int):
        return v if abs(v) < 2 ** 53 else {'bigint': str(v)}
    if isinstance(v, float):
        return {'float': v if math.isfinite(v) else repr(v)}
    if isinstance(v, list):
        return [typed(x) for x in v]
    if isinstance(v, tuple):
        return {'tuple': [typed(x) for x in v]}
    if isinstance(v, dict):
        return {'dict': [[typed(k), typed(x)] for k, x in v.items()]}
    return {'other': type(v).__name__, 'repr': repr(v)}


def main():
    loader = DataLoader()
    out = []
    for case in json.load(sys.stdin):
        variables = case.get('vars', {})
        try:
            templar = Templar(loader=loader, variables=variables)
            if case.get('kind') == 'condition':
                conditional = Conditional(loader=loader)
                conditional.when = [case['text']]
                # What a task does with it: skips unless it is true (Python truthiness).
                value = bool(conditional.evaluate_conditional(templar, variables))
            else:
                value = templar.template(case['text'])
            out.append({'value': typed(value)})
        except Exception as e:  # every failure is a result: the test compares it with remedy's
            out.append({'error': '%s: %s' % (type(e).__name__, str(e).split('\n')[0])})
    sys.stdout.write(json.dumps(out) + '\n')


if __name__ == '__main__':
    main()
