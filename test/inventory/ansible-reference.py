"""The reference for the inventory differential tests: ansible-core itself, run in one process.

Reads jobs (JSON) on stdin, writes results (JSON) on stdout. For each inventory it runs the real
`ansible-inventory --list`, `--graph` and `--host NAME` (InventoryCLI, in process), and for each pattern the
code `ansible PATTERN --list-hosts` and `ansible all --list-hosts -l PATTERN` run
(CLI.get_host_list on an InventoryManager, with AdHocCLI's handling of its errors), capturing
what they print and warn. Starting Python and Ansible once for every case keeps the suite fast.

Ansible orders the hosts two or more group levels below a group by iterating a Python set of
group objects (Group._walk_relationship), so that order can change from run to run. Each pattern
is therefore evaluated twice: as Ansible runs ("real"), and with that walk taking the groups of
each level in the order they were listed ("pinned", one of the orders the real code can give).
Run with /usr/bin/python3 (Debian's ansible-core).
"""
import contextlib
import io
import json
import sys

from ansible.cli import CLI
from ansible.cli.inventory import InventoryCLI
from ansible.errors import AnsibleError
from ansible.inventory.group import Group
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.utils.context_objects import GlobalCLIArgs
from ansible.utils.display import Display

display = Display()
display.columns = 1000000  # no wrapping of warnings
real_walk = Group._walk_relationship


def pinned_walk(self, rel, include_self=False, preserve_ordering=False):
    """Group._walk_relationship with insertion-ordered sets (dicts) instead of sets."""
    seen = {}
    unprocessed = dict.fromkeys(getattr(self, rel))
    if include_self:
        unprocessed[self] = None
    if preserve_ordering:
        ordered = [self] if include_self else []
        ordered.extend(getattr(self, rel))
    while unprocessed:
        seen.update(unprocessed)
        new_unprocessed = {}
        for g in unprocessed:
            for new_item in getattr(g, rel):
                new_unprocessed[new_item] = None
                if preserve_ordering and new_item not in seen:
                    ordered.append(new_item)
        unprocessed = {g: None for g in new_unprocessed if g not in seen}
    return ordered if preserve_ordering else set(seen)


def captured(fn):
    """Runs fn(), returning {rc, out, err} as the command line would show them."""
    display._warns = {}
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = fn() or 0
        except SystemExit as e:
            rc = e.code or 0
        except AnsibleError as e:
            err.write('ERROR! %s\n' % e.message)
            rc = 1
    return {'rc': rc, 'out': out.getvalue(), 'err': err.getvalue()}


def inventory_cli(args):
    GlobalCLIArgs._Singleton__instance = None  # a new command line each time
    return captured(lambda: InventoryCLI(['ansible-inventory'] + args).run())


def list_hosts(inventory, pattern, subset):
    """What `ansible PATTERN --list-hosts [-l SUBSET]` prints (AdHocCLI.run with listhosts)."""
    def run():
        inventory.clear_caches()
        inventory.subset(None)
        try:
            hosts = CLI.get_host_list(inventory, subset, pattern)
        except AnsibleError:
            if subset:
                raise
            hosts = []
            display.warning('No hosts matched, nothing to do')
        display.display('  hosts (%d):' % len(hosts))
        for h in hosts:
            display.display('    %s' % h)
        return 0
    return captured(run)


def run_job(job):
    inv_args = ['-i', job['inventory']] + (['--playbook-dir', job['playbookDir']] if job.get('playbookDir') else [])
    result = {'list': inventory_cli(inv_args + ['--list']), 'graph': inventory_cli(inv_args + ['--graph']), 'host': {}, 'patterns': {}, 'limits': {}}
    for name in job.get('hosts', []):
        result['host'][name] = inventory_cli(inv_args + ['--host', name])
    for order, walk in (('real', real_walk), ('pinned', pinned_walk)):
        Group._walk_relationship = walk
        inventory = InventoryManager(loader=DataLoader(), sources=[job['inventory']])
        for p in job.get('patterns', []):
            result['patterns'].setdefault(p, {})[order] = list_hosts(inventory, p, None)
            result['limits'].setdefault(p, {})[order] = list_hosts(inventory, 'all', p)
    Group._walk_relationship = real_walk
    return result


def main():
    jobs = json.load(sys.stdin)
    json.dump({j['id']: run_job(j) for j in jobs}, sys.stdout)


main()
