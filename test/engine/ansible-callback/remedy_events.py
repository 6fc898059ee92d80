# A stdout callback for ansible-playbook that prints one JSON line per task result on a host
# (ok, failed, skipped, unreachable, with the result) and per host at the end (its stats), for
# the differential tests of the playbook language (test/engine/language-differential.test.ts).
import json

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'remedy_events'

    def _emit(self, kind, result, ignored=False):
        r = dict(result._result)
        r.pop('invocation', None)
        self._display.display(json.dumps({
            'event': 'task', 'kind': kind, 'host': result._host.get_name(),
            'task': result._task.get_name(), 'ignored': ignored, 'result': r,
        }, default=repr))

    def v2_runner_on_ok(self, result):
        self._emit('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit('failed', result, ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._emit('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._emit('unreachable', result)

    def v2_playbook_on_stats(self, stats):
        for host in sorted(stats.processed.keys()):
            self._display.display(json.dumps({'event': 'stats', 'host': host, 'stats': stats.summarize(host)}))
