/** The inventory: Ansible YAML and INI inventories and directories, group_vars/host_vars, host patterns and --limit, connection settings, listings. */
export { loadInventory, parseInventoryText, withPlaybookVars, inventoryWarnings, type LoadOptions } from './load.js';
export { selectHosts, selectHostsReporting, evaluatePattern, splitPattern, type HostSelection } from './patterns.js';
export { hostsOfGroup } from './pattern-match.js';
export { connectionFor, parseAnsibleBool, SECRET_VARS, secretValues, withoutSecrets } from './connection.js';
export { formatInventoryList, formatInventoryGraph, formatHostVars } from './format.js';
export { expandHostRange } from './ranges.js';
