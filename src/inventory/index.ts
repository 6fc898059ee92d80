/** The inventory: Ansible YAML inventories, host patterns and --limit, connection settings, listings. */
export { loadInventory, parseInventoryText } from './load.js';
export { selectHosts, evaluatePattern, splitPattern } from './patterns.js';
export { connectionFor, parseAnsibleBool, SECRET_VARS, secretValues, withoutSecrets } from './connection.js';
export { formatInventoryList, formatInventoryGraph } from './format.js';
export { expandHostRange } from './ranges.js';
